-- The server's database, for SQLite (the default) and MySQL/MariaDB alike.
-- Two placeholders are filled in per database by chat.server.store.Schema:
--   ${ID}     an auto-assigned 64-bit key, never given out twice (a deleted message's id must not
--             come back: acked_msg_id and read marks point past it): INTEGER PRIMARY KEY
--             AUTOINCREMENT (SQLite's rowid) or BIGINT AUTO_INCREMENT PRIMARY KEY (MySQL)
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
    acked_msg_id  BIGINT       NOT NULL DEFAULT 0,  -- messages to this user up to here were received
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

-- Friendship is two rows, one per side, each with that side's remark for the other (the
-- article's "modify friend"). Deleting a friend deletes both.
CREATE TABLE friends (
    user_id   BIGINT      NOT NULL,
    friend_id BIGINT      NOT NULL,
    alias     VARCHAR(64),
    since     BIGINT      NOT NULL,
    PRIMARY KEY (user_id, friend_id)
) ${TABLE};

-- A friend request waits here until it is accepted or declined; one kept while the other side is
-- offline reaches them at login.
CREATE TABLE friend_requests (
    from_id    BIGINT NOT NULL,
    to_id      BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (from_id, to_id)
) ${TABLE};

-- Messages, private and group alike, in one table so that one id sequence orders everything a
-- user receives: a private message has a recipient_id, a group message a group_id. The id orders
-- everything (one writer assigns them); client_id, chosen by the sender, makes a resend after a
-- reconnect harmless. A user's acked_msg_id (in users) says how far it has confirmed receiving;
-- everything after it is delivered again at login.
CREATE TABLE messages (
    id           ${ID},
    sender_id    BIGINT      NOT NULL,
    recipient_id BIGINT,
    group_id     BIGINT,
    client_id    VARCHAR(64) NOT NULL,
    body         TEXT        NOT NULL,
    sent_at      BIGINT      NOT NULL,
    CONSTRAINT messages_client_id UNIQUE (sender_id, client_id)
) ${TABLE};

CREATE INDEX messages_to ON messages (recipient_id, id);
CREATE INDEX messages_pair ON messages (sender_id, recipient_id, id);
CREATE INDEX messages_group ON messages (group_id, id);

-- Groups ("groups" is a reserved word in MySQL). An open group takes anyone who joins; a closed
-- one takes those the owner approves or invites.
CREATE TABLE chat_groups (
    id         ${ID},
    name       VARCHAR(64) NOT NULL,
    name_key   VARCHAR(64) NOT NULL,
    owner_id   BIGINT      NOT NULL,
    open       INTEGER     NOT NULL,
    created_at BIGINT      NOT NULL,
    CONSTRAINT chat_groups_name_key UNIQUE (name_key)
) ${TABLE};

-- A member sees the group's messages after first_msg_id: those sent once it had joined.
CREATE TABLE group_members (
    group_id     BIGINT NOT NULL,
    user_id      BIGINT NOT NULL,
    joined_at    BIGINT NOT NULL,
    first_msg_id BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
) ${TABLE};

CREATE INDEX group_members_user ON group_members (user_id);

-- Asking to join a closed group; the owner approves.
CREATE TABLE group_requests (
    group_id   BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
) ${TABLE};

-- How far a user has read each conversation: 'u' and a friend's id, or 'g' and a group's id.
-- Unread counts are the messages after it.
CREATE TABLE read_marks (
    user_id      BIGINT      NOT NULL,
    conversation VARCHAR(32) NOT NULL,
    last_read_id BIGINT      NOT NULL,
    PRIMARY KEY (user_id, conversation)
) ${TABLE};
