import GRDB

/// The schema, as GRDB migrations. Geometry columns are registered with SpatiaLite's
/// `AddGeometryColumn` and indexed with `CreateSpatialIndex`, so the `spatialite` CLI, GDAL and QGIS
/// see them as spatial layers.
enum Schema {
    static func migrate(_ writer: any DatabaseWriter) throws {
        // The records move to their own file between v11 and v12 (see RecordsFile). Only a database
        // that kept records in its main file before this open has any to move: a new one's v2…v10
        // make empty tables that v12 drops. Qualified: the records file has its own grdb_migrations.
        let legacy = try writer.read { db in
            try db.tableExists("grdb_migrations", in: "main")
                && Bool.fetchOne(db, sql: "SELECT 1 FROM main.grdb_migrations WHERE identifier = ?", arguments: [recordsMoved]) != true
        }
        if legacy {
            // Without v12 registered: another process that finished the upgrade meanwhile leaves
            // nothing to do here, where `migrate(upTo:)` would stop the process.
            try makeMigrator(movingRecords: false).migrate(writer)
            try writer.writeWithoutTransaction { db in try RecordsFile.adoptRecordsOfTheMainFile(db) }
        }
        try migrator.migrate(writer)
    }

    /// Read-only opens never migrate: they refuse a database that is behind.
    static func requireCurrent(_ reader: any DatabaseReader, path: String) throws {
        let complete = try reader.read { db in try migrator.hasCompletedMigrations(db) }
        guard complete else { throw StoreError.outdatedSchema(path) }
    }

    static let recordsMoved = "v12: records in their own file"

    static var migrator: DatabaseMigrator { makeMigrator(movingRecords: true) }

    static func makeMigrator(movingRecords: Bool) -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: spatial metadata, provenance, places, providers") { db in
            if try Int.fetchOne(db, sql: "SELECT CheckSpatialMetaData()") != 3 {
                _ = try Int.fetchOne(db, sql: "SELECT InitSpatialMetaData(0)")
            }
            let layout = try Int.fetchOne(db, sql: "SELECT CheckSpatialMetaData()") ?? 0
            guard layout == 3 else { throw StoreError.spatialMetadata(layout) }
            for statement in v1 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v2: on-call reports and the audit log") { db in
            for statement in v2 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v3: 届出 of the 厚生局 名簿, geocoded points, institution codes") { db in
            for statement in v3 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v4: the role of an on-call report's writer") { db in
            // coordinator: heard by phone; provider: from the provider's own staff (issue #20).
            try db.execute(sql: "ALTER TABLE on_call_reports ADD COLUMN reported_role TEXT")
        }
        migrator.registerMigration("v5: the provider desk: accounts, invitations, sessions, declarations") { db in
            for statement in v5 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v6: a count of changes to the declarations") { db in
            // Timestamps have whole seconds: a reload must see two writes within one second.
            try db.execute(sql: "CREATE TABLE declarations_revision (id INTEGER PRIMARY KEY CHECK (id = 1), revision INTEGER NOT NULL)")
        }
        migrator.registerMigration("v7: population by year and kind (census, estimate, projection)") { db in
            for statement in v7 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v8: planning areas (二次医療圏) and their municipalities") { db in
            for statement in v8 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v9: care demand by 構想区域 and fiscal year") { db in
            for statement in v9 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v10: (ア)–(ク) progress of municipalities") { db in
            for statement in v10 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("v11: provider ids are never given twice") { db in
            for statement in ProviderIDs.v11 { try db.execute(sql: statement) }
        }
        guard movingRecords else { return migrator }
        migrator.registerMigration(recordsMoved) { db in
            try RecordsFile.dropRecordsOfTheMainFile(db)
        }
        return migrator
    }

    /// Tables whose rows belong to one dataset and are replaced by a newer release of the same source.
    static let ownedTables = [
        "providers", "municipalities", "municipality_population", "mesh_population", "towns", "planning_area_members", "area_demand",
    ]
    /// Provider facts that an import writes anew for every provider it loads.
    static let providerFactTables = [
        "provider_services", "provider_capabilities", "provider_hours", "service_areas", "provider_notices", "provider_sources",
    ]

    static let v3: [String] = [
        // The 届出 a capability comes from (受理番号, 算定開始年月日).
        "ALTER TABLE provider_capabilities ADD COLUMN notice_number TEXT",
        "ALTER TABLE provider_capabilities ADD COLUMN since TEXT",
        // A point the source did not give: found by the geocoder at this level ('town'); NULL: as given.
        "ALTER TABLE providers ADD COLUMN location_level TEXT CHECK (location_level IS NULL OR location_level IN ('town', 'city'))",
        // 10-digit 医療機関コード (prefecture, 点数表, 医療機関番号): the key that joins sources of one institution.
        "ALTER TABLE providers ADD COLUMN institution_code TEXT",
        // Partial indexes: the native format (most rows in a large region) has no codes and no match keys.
        "CREATE INDEX providers_institution ON providers(institution_code) WHERE institution_code IS NOT NULL",
        // Name, address and phone folded for joining sources of one institution (see InstitutionJoin).
        "ALTER TABLE providers ADD COLUMN match_name TEXT",
        "ALTER TABLE providers ADD COLUMN match_address TEXT",
        "ALTER TABLE providers ADD COLUMN match_phone TEXT",
        "CREATE INDEX providers_match_phone ON providers(match_phone) WHERE match_phone IS NOT NULL",
        "CREATE INDEX providers_match_name ON providers(match_name) WHERE match_name IS NOT NULL",
        // The other sources' records joined to a provider, and how each join was made.
        """
        CREATE TABLE provider_sources (
            provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            official_id TEXT NOT NULL,
            joined_by TEXT NOT NULL CHECK (joined_by IN ('institution_code', 'name_address_phone', 'name_address')),
            source_line INTEGER NOT NULL,
            dataset_id INTEGER NOT NULL REFERENCES datasets(id),
            UNIQUE (source, official_id)
        )
        """,
        "CREATE INDEX provider_sources_provider ON provider_sources(provider_id)",
        """
        CREATE TABLE provider_notices (
            id INTEGER PRIMARY KEY,
            provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            name TEXT,
            notice_number TEXT,
            since TEXT,
            remarks TEXT,
            source_line INTEGER NOT NULL,
            dataset_id INTEGER NOT NULL REFERENCES datasets(id)
        )
        """,
        "CREATE INDEX provider_notices_provider ON provider_notices(provider_id)",
        "CREATE INDEX provider_notices_dataset ON provider_notices(dataset_id)",
    ]

    static let v1: [String] = [
        """
        CREATE TABLE datasets (
            id INTEGER PRIMARY KEY,
            source_kind TEXT NOT NULL,
            source_key TEXT NOT NULL,
            file_name TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            rows_read INTEGER NOT NULL,
            rows_loaded INTEGER NOT NULL,
            rows_rejected INTEGER NOT NULL,
            warnings INTEGER NOT NULL,
            reference_date TEXT,
            credit TEXT NOT NULL,
            loaded_at TEXT NOT NULL,
            superseded_by INTEGER REFERENCES datasets(id),
            report TEXT NOT NULL
        )
        """,
        "CREATE INDEX datasets_source ON datasets(source_key, superseded_by)",
        "CREATE INDEX datasets_sha ON datasets(sha256)",

        """
        CREATE TABLE municipalities (
            code TEXT PRIMARY KEY CHECK (length(code) = 5),
            prefecture_code TEXT NOT NULL,
            prefecture TEXT NOT NULL,
            county TEXT,
            city TEXT,
            ward TEXT,
            name TEXT NOT NULL,
            dataset_id INTEGER NOT NULL REFERENCES datasets(id)
        )
        """,
        "SELECT AddGeometryColumn('municipalities', 'boundary', 4326, 'MULTIPOLYGON', 'XY', 1)",
        "SELECT CreateSpatialIndex('municipalities', 'boundary')",
        "CREATE INDEX municipalities_name ON municipalities(name)",

        """
        CREATE TABLE municipality_population (
            code TEXT NOT NULL,
            reference_year INTEGER NOT NULL,
            name TEXT,
            total INTEGER NOT NULL,
            age_65_plus INTEGER,
            age_75_plus INTEGER,
            age_65_74 INTEGER,
            dataset_id INTEGER NOT NULL REFERENCES datasets(id),
            PRIMARY KEY (code, reference_year)
        )
        """,

        """
        CREATE TABLE mesh_population (
            mesh_code TEXT NOT NULL,
            reference_year INTEGER NOT NULL,
            cell_size_m INTEGER NOT NULL,
            total INTEGER NOT NULL,
            male INTEGER,
            female INTEGER,
            households INTEGER,
            age_65_plus INTEGER,
            age_75_plus INTEGER,
            dataset_id INTEGER NOT NULL REFERENCES datasets(id),
            PRIMARY KEY (mesh_code, reference_year)
        )
        """,
        "SELECT AddGeometryColumn('mesh_population', 'cell', 4326, 'POLYGON', 'XY', 1)",
        "SELECT CreateSpatialIndex('mesh_population', 'cell')",

        """
        CREATE TABLE towns (
            id INTEGER PRIMARY KEY,
            municipality_code TEXT NOT NULL,
            prefecture TEXT NOT NULL,
            city TEXT NOT NULL,
            town TEXT NOT NULL,
            koaza TEXT NOT NULL DEFAULT '',
            dataset_id INTEGER NOT NULL REFERENCES datasets(id),
            UNIQUE (municipality_code, town, koaza)
        )
        """,
        "SELECT AddGeometryColumn('towns', 'point', 4326, 'POINT', 'XY', 0)",
        "SELECT CreateSpatialIndex('towns', 'point')",

        """
        CREATE TABLE providers (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            official_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            kana TEXT,
            address TEXT,
            building TEXT,
            municipality_code TEXT,
            municipality_basis TEXT CHECK (municipality_basis IN ('file', 'point')),
            location_status TEXT NOT NULL CHECK (location_status IN ('exact', 'unknown')),
            phone TEXT,
            fax TEXT,
            email TEXT,
            url TEXT,
            preferred_contact TEXT CHECK (preferred_contact IN ('phone', 'fax', 'email')),
            corporation TEXT,
            dataset_id INTEGER NOT NULL REFERENCES datasets(id),
            source_line INTEGER NOT NULL,
            UNIQUE (source, official_id)
        )
        """,
        "SELECT AddGeometryColumn('providers', 'location', 4326, 'POINT', 'XY', 0)",
        "SELECT CreateSpatialIndex('providers', 'location')",
        "CREATE INDEX providers_municipality ON providers(municipality_code)",
        "CREATE INDEX providers_dataset ON providers(dataset_id)",

        """
        CREATE TABLE provider_services (
            provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
            service TEXT NOT NULL,
            dataset_id INTEGER NOT NULL REFERENCES datasets(id),
            PRIMARY KEY (provider_id, service)
        )
        """,
        "CREATE INDEX provider_services_service ON provider_services(service)",
        """
        CREATE TABLE provider_capabilities (
            provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
            capability TEXT NOT NULL,
            detail TEXT,
            dataset_id INTEGER NOT NULL REFERENCES datasets(id),
            PRIMARY KEY (provider_id, capability)
        )
        """,
        """
        CREATE TABLE provider_hours (
            id INTEGER PRIMARY KEY,
            provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
            service TEXT,
            scope TEXT NOT NULL CHECK (scope IN ('outpatient', 'service')),
            label TEXT,
            opening_hours TEXT,
            source_text TEXT,
            dataset_id INTEGER NOT NULL REFERENCES datasets(id)
        )
        """,
        "CREATE INDEX provider_hours_provider ON provider_hours(provider_id)",
        """
        CREATE TABLE service_areas (
            id INTEGER PRIMARY KEY,
            provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
            service TEXT,
            rule TEXT NOT NULL CHECK (rule IN ('radius', 'municipalities', 'towns', 'polygon')),
            radius_m REAL CHECK (radius_m IS NULL OR radius_m > 0),
            dataset_id INTEGER NOT NULL REFERENCES datasets(id)
        )
        """,
        "SELECT AddGeometryColumn('service_areas', 'area', 4326, 'MULTIPOLYGON', 'XY', 0)",
        "SELECT CreateSpatialIndex('service_areas', 'area')",
        "CREATE INDEX service_areas_provider ON service_areas(provider_id)",
        """
        CREATE TABLE service_area_municipalities (
            area_id INTEGER NOT NULL REFERENCES service_areas(id) ON DELETE CASCADE,
            municipality_code TEXT NOT NULL,
            PRIMARY KEY (area_id, municipality_code)
        )
        """,
        "CREATE INDEX service_area_municipalities_code ON service_area_municipalities(municipality_code)",
        """
        CREATE TABLE service_area_towns (
            area_id INTEGER NOT NULL REFERENCES service_areas(id) ON DELETE CASCADE,
            municipality_code TEXT NOT NULL,
            town TEXT NOT NULL,
            PRIMARY KEY (area_id, municipality_code, town)
        )
        """,
    ]
}
