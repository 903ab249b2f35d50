import GRDB

/// The planner's tables (issue #21): population by year and kind, planning areas, care demand.
extension Schema {
    /// Population rows keyed by year and kind, so that a projection of a year sits beside the actual
    /// figure of that year instead of replacing it (issue #21). Rows loaded before were estimates.
    static let v7: [String] = [
        """
        CREATE TABLE municipality_population_v7 (
            code TEXT NOT NULL,
            reference_year INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('census', 'estimate', 'projection')),
            area TEXT NOT NULL DEFAULT 'municipality' CHECK (area IN ('prefecture', 'designated_city', 'municipality')),
            name TEXT,
            total INTEGER NOT NULL,
            age_0_14 INTEGER,
            age_15_64 INTEGER,
            age_65_plus INTEGER,
            age_75_plus INTEGER,
            age_65_74 INTEGER,
            dataset_id INTEGER NOT NULL REFERENCES datasets(id),
            PRIMARY KEY (code, reference_year, kind)
        )
        """,
        """
        INSERT INTO municipality_population_v7 (code, reference_year, kind, name, total, age_65_plus, age_75_plus, age_65_74, dataset_id)
        SELECT code, reference_year, 'estimate', name, total, age_65_plus, age_75_plus, age_65_74, dataset_id FROM municipality_population
        """,
        "DROP TABLE municipality_population",
        "ALTER TABLE municipality_population_v7 RENAME TO municipality_population",
    ]

    /// Each municipality's planning area (a 二次医療圏); outlines are dissolved from the boundaries.
    static let v8: [String] = [
        """
        CREATE TABLE planning_area_members (
            kind TEXT NOT NULL,
            municipality_code TEXT NOT NULL,
            area_code TEXT NOT NULL,
            area_name TEXT NOT NULL,
            prefecture_code TEXT NOT NULL,
            dataset_id INTEGER NOT NULL REFERENCES datasets(id),
            PRIMARY KEY (kind, municipality_code)
        )
        """,
    ]

    /// MHLW's demand per 構想区域 and fiscal year: the actual year and the projected ones.
    static let v9: [String] = [
        """
        CREATE TABLE area_demand (
            area_code TEXT NOT NULL,
            care TEXT NOT NULL,
            fiscal_year INTEGER NOT NULL,
            area_name TEXT NOT NULL,
            projected INTEGER NOT NULL,
            receipts_per_month REAL NOT NULL,
            dataset_id INTEGER NOT NULL REFERENCES datasets(id),
            PRIMARY KEY (area_code, care, fiscal_year)
        )
        """,
    ]

    /// (ア)–(ク) progress as municipalities record it: one stage per item and fiscal year. Entered by
    /// people, not loaded from a release, so no dataset owns the rows; every write is audited.
    static let v10: [String] = [
        """
        CREATE TABLE municipal_progress (
            municipality_code TEXT NOT NULL,
            item TEXT NOT NULL,
            fiscal_year INTEGER NOT NULL,
            stage TEXT NOT NULL,
            recorded_on TEXT NOT NULL,
            note TEXT,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            PRIMARY KEY (municipality_code, item, fiscal_year)
        )
        """,
    ]
}
