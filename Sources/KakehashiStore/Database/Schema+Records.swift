import GRDB

/// The tables of records (on-call reports, the audit log, the desk) as the data file first made them,
/// in v2 and v5. Since v12 they live in the records file (`RecordsFile.r1`, their present shape);
/// these migrations still run for every new data file, whose v12 then drops the empty tables.
extension Schema {
    static let v2: [String] = [
        """
        CREATE TABLE on_call_reports (
            id INTEGER PRIMARY KEY,
            provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
            service TEXT,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL CHECK (ends_at > starts_at),
            contact TEXT,
            note TEXT,
            reported_by TEXT NOT NULL,
            reported_at TEXT NOT NULL,
            replaced_at TEXT
        )
        """,
        "CREATE INDEX on_call_reports_provider ON on_call_reports(provider_id, replaced_at)",
        auditLog,
    ]

    /// Every write of records, who made it and what it changed (the records file keeps it since v12).
    static let auditLog = """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            detail TEXT NOT NULL
        )
        """

    /// The desk (issue #20). Secrets are kept as SHA-256 (codes, session tokens) or bcrypt
    /// (passwords), never as given. Declarations name their provider by id without a foreign key:
    /// an import that drops a provider must not delete what its staff declared.
    static let v5: [String] = [
        """
        CREATE TABLE desk_accounts (
            id INTEGER PRIMARY KEY,
            login TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('steward', 'provider')),
            password_hash TEXT NOT NULL,
            created_at TEXT NOT NULL,
            disabled_at TEXT
        )
        """,
        """
        CREATE TABLE desk_account_providers (
            account_id INTEGER NOT NULL REFERENCES desk_accounts(id) ON DELETE CASCADE,
            provider_id INTEGER NOT NULL,
            PRIMARY KEY (account_id, provider_id)
        )
        """,
        """
        CREATE TABLE desk_invitations (
            id INTEGER PRIMARY KEY,
            code_hash TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('steward', 'provider')),
            provider_id INTEGER,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            account_id INTEGER REFERENCES desk_accounts(id),
            revoked_at TEXT
        )
        """,
        """
        CREATE TABLE desk_sessions (
            token_hash TEXT PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES desk_accounts(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            revoked_at TEXT
        )
        """,
        """
        CREATE TABLE declarations (
            provider_id INTEGER NOT NULL,
            fact TEXT NOT NULL CHECK (fact IN ('hours', 'area', 'capabilities', 'contact')),
            service TEXT NOT NULL DEFAULT '',
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            updated_by TEXT NOT NULL,
            confirmed_at TEXT NOT NULL,
            confirmed_by TEXT NOT NULL,
            PRIMARY KEY (provider_id, fact, service)
        )
        """,
    ]
}
