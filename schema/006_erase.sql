-- 006: the right to erasure (src/core/erase.c). An erased customer keeps
-- their row, under a new uuid and a placeholder name, so purchases and the
-- points ledger stay whole for the accounts; erased_at says it happened.

ALTER TABLE customer ADD COLUMN erased_at TEXT;
