-- 007: each audit entry's detail is hashed under a random key of its own
-- (detail_salt), kept beside it and wiped with it. Once a customer is
-- erased, the hash left in the chain cannot be used to test guesses of what
-- the detail said. Entries written before 007 have no salt: their hash is
-- plain BLAKE2b, as before.

ALTER TABLE audit ADD COLUMN detail_salt BLOB;
