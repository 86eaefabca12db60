"""Typed readers for settings that come from the environment.

A bad value is an error, not a silent default: `DEBUG=yes-please` stops the process with a message
naming the variable, instead of quietly running with DEBUG off (or on).
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use true or false.")


def _number(name, default, convert, kind):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return convert(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not {kind}.") from None


def env_int(name: str, default: int) -> int:
    return _number(name, default, int, "a whole number")


def env_float(name: str, default: float) -> float:
    return _number(name, default, float, "a number")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = os.environ.get(name, default).strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}.")
    return value


def env_mapping(name: str) -> dict[str, str]:
    """`key=value` pairs separated by commas, in the order given; a malformed or repeated key is an error."""
    mapping: dict[str, str] = {}
    for item in env_list(name, []):
        key, separator, value = (part.strip() for part in item.partition("="))
        if not separator or not key or not value:
            raise ImproperlyConfigured(f"{name}: {item!r} is not of the form key=value.")
        if key in mapping:
            raise ImproperlyConfigured(f"{name} names {key!r} twice.")
        mapping[key] = value
    return mapping
