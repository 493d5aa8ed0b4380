-- The server's database, for SQLite (the default) and MySQL/MariaDB alike.
-- Two placeholders are filled in per database by chat.server.store.Schema:
--   ${ID}     an auto-assigned 64-bit key: INTEGER PRIMARY KEY (SQLite's rowid) or
--             BIGINT AUTO_INCREMENT PRIMARY KEY (MySQL)
--   ${TABLE}  table options: nothing (SQLite) or ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
-- Times are milliseconds since the epoch (UTC). Statements end with ';' at the end of a line.
-- The server creates all of this on first start and records the version; it refuses a database
-- whose version it does not know.

CREATE TABLE schema_version (
    version INTEGER NOT NULL
) ${TABLE};

-- Accounts. name_key is the name folded for comparison (Unicode NFKC, lower case), so that
-- "Alice" and "alice" are one account everywhere, whatever the database's collation.
CREATE TABLE users (
    id            ${ID},
    name          VARCHAR(64)  NOT NULL,
    name_key      VARCHAR(64)  NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    status        INTEGER      NOT NULL DEFAULT 0,  -- the article's online status: 1 online, 0 offline
    created_at    BIGINT       NOT NULL,
    CONSTRAINT users_name_key UNIQUE (name_key)
) ${TABLE};

-- The article's connection-information table: one row per logged-in account, removed on logout
-- or disconnect, and cleared at start (a crash leaves no ghost online).
CREATE TABLE connections (
    user_id  BIGINT      NOT NULL PRIMARY KEY,
    ip       VARCHAR(64) NOT NULL,
    port     INTEGER     NOT NULL,
    login_at BIGINT      NOT NULL
) ${TABLE};
