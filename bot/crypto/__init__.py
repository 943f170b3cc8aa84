"""Field-level encryption at rest (issue #31): the key ring (key_ring) and where its keys come from
(key_source). Nothing here knows the store; bot.store.encrypted_text applies it to columns."""
