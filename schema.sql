-- The server's database, for SQLite (the default) and MySQL/MariaDB alike.
-- Two placeholders are filled in per database by chat.server.store.Schema:
--   ${ID}     an auto-assigned 64-bit key, never given out twice (a deleted message's id must not
--             come back: acked_msg_id and read marks point past it): INTEGER PRIMARY KEY
--             AUTOINCREMENT (SQLite's rowid) or BIGINT AUTO_INCREMENT PRIMARY KEY (MySQL)
--   ${TABLE}  table options: nothing (SQLite) or ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
-- Times are milliseconds since the epoch (UTC). Statements end with ';' at the end of a line.
-- The server creates all of this on first start and records the version. It migrates a database
-- of version 1 (chat.server.store.Schema says how) and refuses one whose version it does not know.
-- Version 2 (protocol 1.1) added messages.kind and messages.sender_device, the devices and
-- sessions tables, and indexes that lead with kind. Version 3 (protocol 1.2) added the files table
-- and the message kind 'file'. Version 4 (protocol 1.4) added name skeletons (users, chat_groups),
-- users.invites, the group_invites, blocks and bans tables, and unread_counts, with triggers, and
-- (SQLite) a search index with its high-water mark (search_mark), that chat.server.store.UnreadCounts
-- and SearchIndex create, since their syntax differs per database.
-- Version 5, search: on MySQL/MariaDB, SEARCH's trigram postings, created by
-- chat.server.store.SearchIndex.createGrams (MySQL only; SQLite's index came with version 4):
--   search_grams (gram VARBINARY(12), block BIGINT, bits BIGINT, PRIMARY KEY (gram, block)): a
--     trigram of LOWER(body) as UTF-8 bytes, a block of 64 message ids (id DIV 64), and which of
--     the block's messages hold it (bit id % 64); texts and file offers only
--   search_mark (upto BIGINT): every whole block up to it is indexed, none after it
--   the trigger search_grams_delete, which clears a deleted message's bits
-- Version 6 (issue 12, stored messages at the database's speed): on SQLite, no index
-- messages_sender_kind, which cost every stored message a page written (see the messages table).

CREATE TABLE schema_version (
    version INTEGER NOT NULL
) ${TABLE};

-- Accounts. name_key is the name folded for comparison (Unicode NFKC, lower case), so that
-- "Alice" and "alice" are one account everywhere, whatever the database's collation.
-- name_skeleton is what the name looks like (chat.common.text.Names.skeleton: аlice, a1ice and
-- alice are one), unique so that no account can pass for another. It is NULL only for the
-- younger of two accounts a version 3 database already had with one skeleton: the migration
-- keeps both (a unique index allows many NULLs), and the older one's skeleton still keeps any
-- new look-alike out. invites is whose group invitations join me at once: anyone, friends
-- (the others wait for my answer) or nobody (refused).
CREATE TABLE users (
    id            ${ID},
    name          VARCHAR(64)  NOT NULL,
    name_key      VARCHAR(64)  NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    status        INTEGER      NOT NULL DEFAULT 0,  -- the article's online status: 1 online, 0 offline
    acked_msg_id  BIGINT       NOT NULL DEFAULT 0,  -- version 1's delivery cursor: a first device starts here
    created_at    BIGINT       NOT NULL,
    name_skeleton VARCHAR(64),
    invites       VARCHAR(8)   NOT NULL DEFAULT 'friends',
    CONSTRAINT users_name_key UNIQUE (name_key)
) ${TABLE};

CREATE UNIQUE INDEX users_skeleton ON users (name_skeleton);

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

CREATE INDEX friend_requests_to ON friend_requests (to_id);

-- Messages and events, in one table so that one id sequence orders everything a device receives.
-- kind is 'text' for a message: a private one has a recipient_id, a group one a group_id. 'file' is a
-- file offered, addressed as text is, its body the file's name (so that search finds it), its file in
-- the files table. Any other
-- kind is an event (friend-request, friend-added, friend-removed, friend-declined, group-joined,
-- group-left, group-renamed, group-deleted, group-join-request, group-rejected): sender = who did it, recipient =
-- the user it is for, one row per recipient, group_id = the group it is about, and the body holds
-- its other fields as a protocol line (kind first). sender_device is the device it came from
-- (devices.id; 0 for rows older than devices), which does not get it back. The id orders
-- everything (one writer assigns them); client_id, chosen by the sender (generated for an
-- event), makes a resend after a reconnect harmless. Each device's acked_msg_id (in devices) says
-- how far that device has confirmed receiving; everything after it is delivered again at login.
CREATE TABLE messages (
    id            ${ID},
    sender_id     BIGINT      NOT NULL,
    recipient_id  BIGINT,
    group_id      BIGINT,
    client_id     VARCHAR(64) NOT NULL,
    body          TEXT        NOT NULL,
    sent_at       BIGINT      NOT NULL,
    kind          VARCHAR(24) NOT NULL DEFAULT 'text',
    sender_device BIGINT      NOT NULL DEFAULT 0,
    CONSTRAINT messages_client_id UNIQUE (sender_id, client_id)
) ${TABLE};

-- Each index serves a part of delivery, history or the contact list with a range of ids:
--   messages_to          what is addressed to me (delivery)
--   messages_pair_kind   a conversation's text and offers one way: history, unread counts, the last message
--   messages_group_kind  a group's text, leaving its events aside (a 500-member group writes 500
--                        event rows per join, all with its group_id)
--   messages_sender_kind what I sent (delivery to my other devices); MySQL/MariaDB only
-- On SQLite every index that leads with a user costs each stored message a page written at its
-- commit (the users' rows are scattered over the index), so there messages_sender_kind is left out
-- (chat.server.store.Schema.MYSQL_ONLY; version 6 dropped it from older files) and what I sent is
-- read from messages_pair_kind, which leads with the sender too (MessageStore.UNDELIVERED_SQLITE).
-- The *_kind indexes are read with kind = one value, a query per kind merged by UNION, never with
-- kind IN (...): only one kind's range is in id order, so an IN would sort the whole conversation.
CREATE INDEX messages_to ON messages (recipient_id, id);
CREATE INDEX messages_pair_kind ON messages (sender_id, recipient_id, kind, id);
CREATE INDEX messages_sender_kind ON messages (sender_id, kind, id);
CREATE INDEX messages_group_kind ON messages (group_id, kind, id);

-- Groups ("groups" is a reserved word in MySQL). An open group takes anyone who joins; a closed
-- one takes those the owner approves or invites.
-- name_skeleton as in users.
CREATE TABLE chat_groups (
    id            ${ID},
    name          VARCHAR(64) NOT NULL,
    name_key      VARCHAR(64) NOT NULL,
    owner_id      BIGINT      NOT NULL,
    open          INTEGER     NOT NULL,
    created_at    BIGINT      NOT NULL,
    name_skeleton VARCHAR(64),
    CONSTRAINT chat_groups_name_key UNIQUE (name_key)
) ${TABLE};

CREATE UNIQUE INDEX chat_groups_skeleton ON chat_groups (name_skeleton);

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

-- An invitation waiting for the invitee's answer (JOIN accepts, DECLINE_INVITE declines): a
-- stranger's invitation, or anyone's when the invitee takes none at once. One per group and
-- invitee; inviting again keeps the first.
CREATE TABLE group_invites (
    group_id   BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    inviter_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (group_id, user_id)
) ${TABLE};

CREATE INDEX group_invites_user ON group_invites (user_id);

-- Who blocked whom: blocked_id's messages, friend requests and invitations do not reach user_id.
CREATE TABLE blocks (
    user_id    BIGINT NOT NULL,
    blocked_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, blocked_id)
) ${TABLE};

-- How far a user has read each conversation: 'u' and a friend's id, or 'g' and a group's id.
-- Unread counts are the messages after it.
CREATE TABLE read_marks (
    user_id      BIGINT      NOT NULL,
    conversation VARCHAR(32) NOT NULL,
    last_read_id BIGINT      NOT NULL,
    PRIMARY KEY (user_id, conversation)
) ${TABLE};

-- Version 4 (reads): each (user, conversation)'s unread count, what UNREAD and the contact list
-- show, kept by triggers on messages and group_members (chat.server.store.UnreadCounts) and
-- counted again when the read mark moves: one row read per conversation instead of one per unread
-- message. conversation as in read_marks. A group member has a row from joining (0 or more); a
-- friend from the first text received.
CREATE TABLE unread_counts (
    user_id      BIGINT      NOT NULL,
    conversation VARCHAR(32) NOT NULL,
    unread       BIGINT      NOT NULL,
    PRIMARY KEY (user_id, conversation)
) ${TABLE};

-- The devices of an account: each has its own delivery cursor. A device seen for the first time
-- starts at the highest cursor of the account's other devices (users.acked_msg_id for the first).
CREATE TABLE devices (
    id           ${ID},
    user_id      BIGINT      NOT NULL,
    name         VARCHAR(64) NOT NULL,
    acked_msg_id BIGINT      NOT NULL DEFAULT 0,
    last_seen    BIGINT      NOT NULL,
    CONSTRAINT devices_user_name UNIQUE (user_id, name)
) ${TABLE};

-- Login sessions, found by the SHA-256 (hex) of their token: the token itself is never stored, so
-- a copy of the database lets nobody in. expires_at slides forward with each use.
CREATE TABLE sessions (
    token_hash CHAR(64) NOT NULL PRIMARY KEY,
    user_id    BIGINT   NOT NULL,
    device_id  BIGINT   NOT NULL,
    created_at BIGINT   NOT NULL,
    expires_at BIGINT   NOT NULL
) ${TABLE};

CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Files offered through the server (protocol 1.2). Each offer is a message of kind 'file'
-- (message_id) addressed as a text message is: recipient_id for a private one, group_id for a
-- group's. name is the sender's name for the file, never a path: the bytes are under the data
-- folder by content, files/blobs/ab/<sha256> once complete, files/partial/<id> while uploading.
-- state: uploading, ready, failed (the hash did not match; the sender may upload again), cancelled,
-- expired; received: bytes held (size once ready). The quota adds up the sizes of a sender's offers
-- that are neither cancelled nor expired.
CREATE TABLE files (
    id           ${ID},
    message_id   BIGINT       NOT NULL,
    sender_id    BIGINT       NOT NULL,
    recipient_id BIGINT,
    group_id     BIGINT,
    name         VARCHAR(255) NOT NULL,
    size         BIGINT       NOT NULL,
    sha256       CHAR(64)     NOT NULL,
    state        VARCHAR(16)  NOT NULL,
    received     BIGINT       NOT NULL DEFAULT 0,
    created_at   BIGINT       NOT NULL,
    expires_at   BIGINT       NOT NULL,
    CONSTRAINT files_message UNIQUE (message_id)
) ${TABLE};

--   files_sha       is a complete copy of this content stored (dedupe, and whether a blob may go)
--   files_sender    a sender's live offers (quota), FILES
--   files_recipient FILES: offers to me
--   files_group     FILES: offers to my groups
--   files_expiry    the expiry sweep
CREATE INDEX files_sha ON files (sha256, state);
CREATE INDEX files_sender ON files (sender_id, state);
CREATE INDEX files_recipient ON files (recipient_id, id);
CREATE INDEX files_group ON files (group_id, id);
CREATE INDEX files_expiry ON files (state, expires_at);

-- Bans (version 4, protocol 1.4): an admin keeps an account (kind 'account', target its name) or
-- an address (kind 'address', target the IP address as the server writes it) out until until_at
-- (ms), 0 for good. One row per kind and target: a new ban replaces the old. The server reads the
-- rows that hold at start and keeps them in memory; rows past their time are ignored, and deleted
-- by the hourly sweep.
CREATE TABLE bans (
    kind       VARCHAR(16)  NOT NULL,
    target     VARCHAR(64)  NOT NULL,
    until_at   BIGINT       NOT NULL,
    reason     VARCHAR(255) NOT NULL,
    banned_by  VARCHAR(64)  NOT NULL,
    banned_at  BIGINT       NOT NULL,
    PRIMARY KEY (kind, target)
) ${TABLE};
