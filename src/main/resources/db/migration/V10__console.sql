-- Postfach schema, version 10: the seller console's sign-in (SPEC §10). Tokens and session ids are kept only as
-- their SHA-256 (hex): a copy of the database signs nobody in. A sign-in link is used at most once (the UPDATE that
-- marks it used decides, on every node alike); sessions live in the database so that any node serves them.
CREATE TABLE console_links (
    token_hash VARCHAR(64)  NOT NULL PRIMARY KEY,
    seller_id  VARCHAR(64)  NOT NULL REFERENCES sellers (id),
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE
);

CREATE TABLE console_sessions (
    id_hash    VARCHAR(64)  NOT NULL PRIMARY KEY,
    seller_id  VARCHAR(64)  NOT NULL REFERENCES sellers (id),
    csrf       VARCHAR(64)  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
