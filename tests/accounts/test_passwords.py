from lms.accounts.passwords import hash_password, needs_rehash, verify_password


def test_production_parameters_are_argon2id_19_mib_two_passes(app):
    # The tests run with cheap parameters; the defaults in lms/config.py are what production uses.
    from lms.config import Settings

    settings = Settings()
    assert (settings.PASSWORD_MEMORY_KIB, settings.PASSWORD_TIME_COST, settings.PASSWORD_PARALLELISM) == (19456, 2, 1)
    app.config.update(PASSWORD_MEMORY_KIB=19456, PASSWORD_TIME_COST=2)
    try:
        encoded = hash_password("correct horse battery")
        assert encoded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert verify_password(encoded, "correct horse battery")
        assert not verify_password(encoded, "Correct horse battery")
        assert not needs_rehash(encoded)
    finally:
        app.config.update(PASSWORD_MEMORY_KIB=1024, PASSWORD_TIME_COST=1)
    assert needs_rehash(encoded)


def test_a_malformed_hash_never_verifies(app):
    assert not verify_password("not-a-hash", "anything")
