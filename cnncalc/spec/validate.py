"""Turn a layer call (spelling + arguments) into a validated layer config, with clear messages."""

from __future__ import annotations

from collections.abc import Mapping

from cnncalc.errors import Location, ValidationSpecError
from cnncalc.i18n import _, ngettext
from cnncalc.layers import Layer, lookup, unknown_kind_hint, without_accents
from cnncalc.shown import quote
from cnncalc.spec.calls import LayerCall


def unknown_kind_error(spelling: str, location: Location) -> ValidationSpecError:
    return ValidationSpecError(
        _("unknown layer {name}").format(name=quote(spelling)), location=location, hint=unknown_kind_hint(spelling)
    )


def arguments_of(cls: type[Layer], call: LayerCall, implied: Mapping[str, object]) -> dict[str, object]:
    """Map positional arguments and aliases onto the kind's field names."""
    args: dict[str, object] = dict(implied)
    if len(call.positional) > len(cls.positional):
        names = ", ".join(cls.positional) or _("none")
        raise ValidationSpecError(
            ngettext(
                "{layer} takes {count} positional argument ({names}) but {given} were given",
                "{layer} takes {count} positional arguments ({names}) but {given} were given",
                len(cls.positional),
            ).format(layer=call.spelling, count=len(cls.positional), names=names, given=len(call.positional)),
            location=call.location,
            hint=_("e.g. {example}").format(example=cls.example) if cls.example else None,
        )
    for name, value in zip(cls.positional, call.positional, strict=False):
        args[name] = value
    for key, value in call.keywords:
        key = without_accents(key.lower())  # paso, relleno, tamaño as the notes write them
        field = cls.arg_aliases.get(key, key)
        if field in args and field not in implied:
            raise ValidationSpecError(
                _("{layer} gets {name} twice").format(layer=call.spelling, name=quote(field)),
                location=call.location,
                hint=_("give each argument once, either by position or by name"),
            )
        args[field] = value
    return args


def build_layer(call: LayerCall) -> Layer:
    """Validate one call into a frozen layer config, or raise one error listing every problem."""
    found = lookup(call.spelling)
    if found is None:
        raise unknown_kind_error(call.spelling, call.location)
    cls, implied = found
    args = arguments_of(cls, call, implied)
    try:
        return cls.trusted(cls.validate_arguments(args, call.spelling))
    except ValidationSpecError as exc:
        raise exc.located(call.location) from None
