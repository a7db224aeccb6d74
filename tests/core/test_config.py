import pytest

from lms.config import ConfigError, load_config


def test_defaults_give_an_embedded_sqlite_database_under_the_instance_folder(tmp_path):
    config = load_config(tmp_path, environ={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'lms.sqlite3'}"
    assert config["BROKER_URL"] == ""
    assert config["MAIL_OUTBOX"] == str(tmp_path / "outbox")
    # Development invents a key and keeps it in the instance folder across restarts.
    assert len(config["SECRET_KEY"]) >= 32
    assert load_config(tmp_path, environ={})["SECRET_KEY"] == config["SECRET_KEY"]


def test_layers_apply_in_order_instance_file_then_environment_then_overrides(tmp_path):
    (tmp_path / "config.py").write_text("SESSION_LIFETIME_HOURS = 5\nSMTP_URL = 'smtp://file'\nDEBUG = True\n")
    environ = {"LMS_SMTP_URL": "smtp://env", "LMS_DEBUG": "false", "LMS_PASSWORD_TIME_COST": "3"}
    config = load_config(tmp_path, {"SMTP_URL": "smtp://override"}, environ=environ)
    assert config["SESSION_LIFETIME_HOURS"] == 5  # instance file
    assert config["DEBUG"] is False  # environment parsed as a boolean
    assert config["PASSWORD_TIME_COST"] == 3  # environment parsed as an integer
    assert config["SMTP_URL"] == "smtp://override"  # overrides win


def test_postgresql_urls_use_psycopg_3(tmp_path):
    config = load_config(tmp_path, environ={"LMS_DATABASE_URL": "postgresql://u@db/lms"})
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/lms"


@pytest.mark.parametrize("secret", ["", "dev", "short-key"])
def test_production_refuses_a_missing_or_weak_secret_key(tmp_path, secret):
    with pytest.raises(ConfigError, match="LMS_SECRET_KEY"):
        load_config(tmp_path, environ={"LMS_ENV": "production", "LMS_SECRET_KEY": secret})


def test_production_refuses_debug(tmp_path):
    environ = {"LMS_ENV": "production", "LMS_SECRET_KEY": "x" * 48, "LMS_DEBUG": "1"}
    with pytest.raises(ConfigError, match="Debug"):
        load_config(tmp_path, environ=environ)


def test_production_with_a_strong_key_starts_with_secure_cookies(tmp_path):
    config = load_config(tmp_path, environ={"LMS_ENV": "production", "LMS_SECRET_KEY": "k" * 48})
    assert config["SESSION_COOKIE_SECURE"] is True


def test_instance_path_comes_from_the_environment(tmp_path, monkeypatch):
    from lms.app import create_app

    monkeypatch.setenv("LMS_INSTANCE_PATH", str(tmp_path / "elsewhere"))
    app = create_app({"ENV": "testing", "DATABASE_URL": "sqlite://"})
    assert app.instance_path == str(tmp_path / "elsewhere")
    assert (tmp_path / "elsewhere" / "outbox").is_dir()
