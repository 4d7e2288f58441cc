"""``NamedTuple`` record classes without importing :mod:`typing` at run time.

On Python 3.11 ``import typing`` costs about 4 ms, some 7% of a whole cold ``dgs-kg query`` on the
bundled ontology, and the modules on that path need it only for ``NamedTuple``. Written the same
way (``class Cell(NamedTuple): value: str; kind: str = "literal"``), a class made here is the
:func:`collections.namedtuple` typing would make: the annotated names are its fields in order,
their class-level values the defaults, and its methods, properties and docstring are kept. Type
checkers see :class:`typing.NamedTuple` itself.
"""
from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import NamedTuple as NamedTuple
else:
    _KEEP_OUT = frozenset({"__annotations__", "__module__", "__qualname__", "__dict__", "__weakref__"})

    class _NamedTupleMeta(type):
        def __new__(mcls, name: str, bases: tuple[type, ...], namespace: dict[str, object]) -> type:
            fields = list(namespace.get("__annotations__", {}))
            defaults = [namespace[f] for f in fields if f in namespace]
            if any(f in namespace for f in fields[: len(fields) - len(defaults)]):
                raise TypeError(f"{name}: a field without a default follows one with a default")
            cls = namedtuple(name, fields, defaults=defaults, module=namespace.get("__module__"))
            for key, value in namespace.items():
                if key not in fields and key not in _KEEP_OUT:
                    setattr(cls, key, value)
            cls.__annotations__ = dict(namespace.get("__annotations__", {}))
            cls.__qualname__ = str(namespace.get("__qualname__", name))
            return cls

    NamedTuple = type.__new__(_NamedTupleMeta, "NamedTuple", (), {})
    NamedTuple.__doc__ = "Base of record classes: see the module docstring."

__all__ = ["NamedTuple"]
