"""SEN2 person-level return as XML (`Message/Header`, `Message/Persons/Person/Requests/…`).

Streamed with lxml's iterparse: each `Person` is read, turned into one row per `Requests`, then
cleared and dropped from the tree, so the tree does not grow with the file (a return can hold
tens of thousands of people). Rows are gathered in column lists and moved into Polars every
CHUNK requests, so Python holds at most one chunk of text at a time.

Element names are matched without their namespace and the order of children is not checked:
hand-made and vendor files differ in both, and the items we need are unambiguous by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import polars as pl
from lxml import etree

from ehcp_timeliness.errors import EhcpError, InputFileError
from ehcp_timeliness.io.sen2_common import (
    ACTIVE_PLAN_ITEMS,
    ASSESSMENT_ITEMS,
    ITEMS,
    LINE,
    NAMED_PLAN_ITEMS,
    PERSON_ITEMS,
    PERSON_KEY,
    REQUEST_ITEMS,
    person_key,
    to_raw_table,
)
from ehcp_timeliness.io.source import RawTable

CHUNK = 10_000
_COLUMNS = (PERSON_KEY, LINE, *(i for i in ITEMS if i not in ("LEA", "Year")))
_HINT = ("Check the file is the complete SEN2 XML as produced for COLLECT (not cut short "
         "while copying), or re-export it.")


def _name(element: Any) -> str:
    return etree.QName(element).localname


class _BadElement(EhcpError):
    """An element that would be read as blank: misspelt, misplaced, or holding an entity."""


# Where each SEN2 module may sit: its parent element (hand-made files put Person straight under
# Message, and nothing is lost by reading it there).
_PARENT = {"Persons": ("Message",), "Person": ("Persons", "Message"),
           "Requests": ("Person",), "Assessment": ("Requests",), "NamedPlan": ("Assessment",),
           "ActivePlans": ("Requests",), "SENneed": ("ActivePlans",)}
_KNOWN = frozenset({"Message", "Header", "Source", "CollectionDetails", *_PARENT, *ITEMS,
                    "SENtypeRank"})


def _loose(name: str) -> str:
    return name.lower().rstrip("s")


_NEAR: dict[str, list[str]] = {}  # Person and Persons share one: both are known names
for _known in sorted(_KNOWN):
    _NEAR.setdefault(_loose(_known), []).append(_known)


def _meant(name: str) -> str:
    """The SEN2 name a near miss stands for: the one spelt the same bar case, else the first."""
    near = _NEAR[_loose(name)]
    return next((n for n in near if n.lower() == name.lower()), near[0])


def _shown(name: str) -> str:
    return name if len(name) <= 40 else name[:40] + "…"


def check_placed(parent: str, child: Any, name: str | None = None) -> None:
    """Refuse a child element whose contents would otherwise be read as blank: a misspelt SEN2
    name (`<Request>`, `<requests>`: names are case-sensitive), or a module outside its parent
    (`<Requests>` not inside a `<Person>`). Other unknown elements are a vendor's own: skipped.
    PARENT: the parent's local name; NAME: the child's, when already known.
    """
    name = _name(child) if name is None else name
    if _checked(parent, child, name):
        return
    # A vendor's element: nothing of ours may hide inside it.
    for inner in child.iterdescendants(tag=etree.Element):
        _checked(_name(inner.getparent()), inner, _name(inner))


def _checked(parent: str, child: Any, name: str) -> bool:
    """check_placed for one element, not what is inside it; True: a SEN2 name, in place."""
    if name not in _KNOWN:
        if _loose(name) in _NEAR:
            raise _BadElement(
                f"line {child.sourceline}: element <{_shown(name)}> is not a SEN2 element: "
                f"SEN2 names it <{_meant(name)}> (names are case-sensitive)",
                "Correct the element's name in the file, or in the system that writes it: as "
                "it stands its contents cannot be read.")
        return False
    places = _PARENT.get(name)
    if places is not None and parent not in places:
        raise _BadElement(
            f"line {child.sourceline}: <{name}> is inside <{_shown(parent)}>: SEN2 puts "
            f"it inside a <{places[0]}>",
            "Move the element to its place in the return (Message/Persons/Person/Requests/…): "
            "as it stands it belongs to no request.")
    return True


def _children(element: Any) -> dict[str, list[Any]]:
    """Child elements by local name, in document order (comments skipped), each checked."""
    found: dict[str, list[Any]] = {}
    parent = _name(element)
    for child in element:
        if isinstance(child.tag, str):
            name = _name(child)
            check_placed(parent, child, name)
            found.setdefault(name, []).append(child)
    return found


def _text(item: Any) -> str | None:
    """An item's text. Entities are never expanded (XXE: they can name other files), so one in
    an item would leave it blank or cut short: that is refused instead."""
    if len(item) and any(isinstance(part, etree._Entity) for part in item):
        raise _BadElement(
            f"line {item.sourceline}: <{_name(item)}> holds an entity reference (&name;), "
            "which is not expanded",
            "Write the value itself in the element: entities declared in the file are never "
            "read, since they can be used to reach other files.")
    return item.text


def _values(element: Any | None, items: tuple[str, ...]) -> dict[str, str | None]:
    """The text of each item under `element` (first occurrence; None when absent)."""
    if element is None:
        return dict.fromkeys(items)
    kids = _children(element)
    return {item: (_text(kids[item][0]) if item in kids else None) for item in items}


def _first(kids: dict[str, list[Any]], name: str) -> Any | None:
    # SEN2 allows one Assessment, NamedPlan and ActivePlans per parent; a second is ignored.
    return kids[name][0] if name in kids else None


def _primary_need(active: Any | None) -> str | None:
    """SENtype of the SENneed ranked 1, else of the first SENneed."""
    if active is None:
        return None
    needs = [_values(n, ("SENtype", "SENtypeRank")) for n in _children(active).get("SENneed", [])]
    ranked = [n for n in needs if (n["SENtypeRank"] or "").strip() == "1"]
    chosen = ranked or needs
    return chosen[0]["SENtype"] if chosen else None


def person_rows(person: Any, position: int) -> Iterator[dict[str, str | None]]:
    """One dict per Requests element of a Person: the SEN2 items of rules.md §5, as text."""
    kids = _children(person)
    details = _values(person, PERSON_ITEMS)
    key = person_key(details["UPN"], details["UniqueLearnerNumber"], position)
    for request in kids.get("Requests", []):
        parts = _children(request)
        assessment = _first(parts, "Assessment")
        plan = _first(_children(assessment), "NamedPlan") if assessment is not None else None
        active = _first(parts, "ActivePlans")
        yield {
            PERSON_KEY: key, LINE: str(request.sourceline), **details,
            **_values(request, REQUEST_ITEMS), **_values(assessment, ASSESSMENT_ITEMS),
            **_values(plan, NAMED_PLAN_ITEMS), **_values(active, ACTIVE_PLAN_ITEMS),
            "SENtype": _primary_need(active),
        }


def iter_persons(handle: Any, path: Path) -> Iterator[tuple[str, Any]]:
    """("Header" | "Person", element) as each ends, then cleared and detached from the tree.

    Entities are not resolved and nothing is fetched from the network: a return is untrusted
    input (XXE).
    """
    context = etree.iterparse(handle, events=("end",), tag=("{*}Header", "{*}Person"),
                              resolve_entities=False, no_network=True, remove_comments=True)
    checked = False
    for _event, element in context:
        if not checked:
            _check_root(element.getroottree().getroot(), path)
            checked = True
        yield _name(element), element
        # Free this Person and detach those before it: what stays in the tree is the parser's
        # read-ahead (a buffer's worth), however long the file.
        element.clear(keep_tail=True)
        parent = element.getparent()
        if parent is not None:
            while element.getprevious() is not None:
                if isinstance(parent[0].tag, str):  # what sits beside the Persons, e.g.
                    check_placed(_name(parent), parent[0])  # a <Requests> outside any Person
                del parent[0]
    if not checked and context.root is not None:
        _check_root(context.root, path)
    if context.root is not None:  # what is left: around and after the last Person
        for element in context.root.iter(tag=etree.Element):
            for child in element.iterchildren(tag=etree.Element):
                check_placed(_name(element), child)


def _check_root(root: Any, path: Path) -> None:
    if _name(root) != "Message":
        raise InputFileError(
            f"{path}: is XML but not a SEN2 return (its top element is <{_name(root)}>, "
            "expected <Message>)",
            "Give the SEN2 person-level XML file (Message/Header, Message/Persons/Person/…).")


def _first_error(exc: etree.XMLSyntaxError) -> tuple[int, int, str]:
    """Where and what: the exception's own, unless it knows no line (line 0, "no element
    found": the parser stopped at an undefined entity); then the first error it logged."""
    if exc.lineno and exc.lineno > 0:
        return exc.lineno, exc.position[1], exc.msg
    errors = [e for e in exc.error_log if e.level >= etree.ErrorLevels.ERROR]
    if errors:
        return errors[0].line, errors[0].column, errors[0].message
    return exc.lineno, exc.position[1], exc.msg


def read_sen2_xml(path: Path, chunk: int = CHUNK) -> RawTable:
    header: dict[str, str | None] = {"LEA": None, "Year": None}
    columns: dict[str, list[str | None]] = {c: [] for c in _COLUMNS}
    chunks: list[pl.DataFrame] = []
    persons = 0

    def flush() -> None:
        if columns[LINE]:
            chunks.append(pl.DataFrame(columns, schema=dict.fromkeys(_COLUMNS, pl.String)))
            for values in columns.values():
                values.clear()

    # libxml2's error log is kept per thread across parses: cleared, it holds this file's.
    etree.clear_error_log()
    try:
        with path.open("rb") as handle:
            for name, element in iter_persons(handle, path):
                if name == "Header":
                    source = _first(_children(element), "Source")
                    collection = _first(_children(element), "CollectionDetails")
                    header = {"LEA": _values(source, ("LEA",))["LEA"],
                              "Year": _values(collection, ("Year",))["Year"]}
                    continue
                persons += 1
                for row in person_rows(element, persons):
                    for column in _COLUMNS:
                        columns[column].append(row[column])
                if len(columns[LINE]) >= chunk:
                    flush()
    except etree.XMLSyntaxError as exc:
        # libxml2 names elements, not their contents ("Opening and ending tag mismatch: Week20
        # line 40 and Assessment"); the count of complete Persons says where in the return.
        # The first error is the cause: after an undefined entity (&nbsp;) the parser stops
        # and the exception itself says only "no element found" at line 0.
        line, column, message = _first_error(exc)
        raise InputFileError(
            f"{path}: not well-formed XML at line {line}, column {column} "
            f"(after {persons} complete Person element(s)): {message}", _HINT) from None
    except _BadElement as exc:
        raise InputFileError(f"{path}: {exc.message}", exc.hint) from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror})",
                             "Check you have permission to read it.") from exc
    flush()
    if not chunks:
        raise InputFileError(
            f"{path}: SEN2 XML with {persons} Person element(s) but no Requests",
            "Each request for an EHC needs assessment is a <Requests> element inside a "
            "<Person>; check this is the person-level return, not an empty template.")
    requests = pl.concat(chunks).with_columns(
        pl.lit(header["LEA"], pl.String).alias("LEA"),
        pl.lit(header["Year"], pl.String).alias("Year"))
    return to_raw_table(requests, path, "sen2-xml",
                        {"persons": str(persons), "requests": str(requests.height)})
