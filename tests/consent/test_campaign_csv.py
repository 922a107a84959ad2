"""The student-list reader: every bad line gets its own Dutch message; good lines come out."""

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from consent.campaigns.csv_import import MAX_ROWS, _fields, parse_roster
from dossier import crypto
from dossier.client.campaigns import RosterError, seal_names

SEALED = crypto.b64e(crypto.seal_to(crypto.Identity.generate().public.box_pk, b"Sam"))


def errors(raw: bytes, existing=frozenset()) -> list[tuple[int, str]]:
    return [(p.line, p.code) for p in parse_roster(raw, existing).errors]


def test_a_good_list():
    roster = parse_roster(f"referentie,naam\r\nA1,{SEALED}\r\nA2,\r\n".encode())
    assert roster.errors == roster.notices == []
    assert [(r.line, r.reference, r.sealed_name is not None) for r in roster.rows] == [
        (2, "A1", True),
        (3, "A2", False),
    ]


def test_semicolons_throughout_are_fine_and_aliases_are_known():
    roster = parse_roster(b"Studentnummer;Naam\n123;\n124;\n")
    assert [r.reference for r in roster.rows] == ["123", "124"]
    assert roster.errors == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"referentie\nA1\nA2\nA1\n", [(4, "duplicate")]),
        (b"referentie\nA1\n\n  \nA2\n", [(3, "empty-line"), (4, "empty-line")]),
        ("referentie\nA1\nJos\xe9\n".encode("latin-1"), [(3, "encoding")]),
        (b"referentie,naam\nA1,\nA2;\n", [(3, "delimiter")]),
        (b"referentie\nA1;x\n", [(2, "delimiter")]),
        (b"referentie;naam\nA1;\nA2,x\n", [(3, "delimiter")]),
        (b"referentie,naam\nA1,,\n", [(2, "columns")]),
        (b"referentie,naam\nA1,Jos Jansen\n", [(2, "name-not-sealed")]),
        (b"referentie\n,\n", [(2, "columns")]),
        (b"referentie,naam\n,\n", [(2, "empty-reference")]),
        (b"referentie\nA 1\n", [(2, "reference")]),
        (b"referentie\n" + b"x" * 65 + b"\n", [(2, "reference")]),
        (b"A1\nA2\n", [(1, "header")]),
        (b"referentie,e-mail\nA1,a@b.nl\n", [(1, "unknown-column")]),
        (b"", [(1, "empty-file")]),
        (b"referentie\n", [(2, "no-rows")]),
        ("referentie\nA1\n".encode("utf-16"), [(1, "encoding")]),
        (b"referentie\nA1\nA2\n", [(2, "exists")]),
    ],
)
def test_each_wrong_line_is_named(raw, expected):
    assert errors(raw, frozenset({"A1"}) if expected == [(2, "exists")] else frozenset()) == (
        expected
    )


def test_messages_are_dutch_and_name_the_line():
    roster = parse_roster(b"referentie\nA1\n\nA1\n")
    assert [p.message for p in roster.errors] == [
        "Regel 3: deze regel is leeg. Haal de lege regel weg.",
        "Regel 4: de referentie 'A1' staat ook op regel 2.",
    ]
    assert [r.reference for r in roster.rows] == ["A1"]


def test_a_bom_is_removed_and_reported():
    roster = parse_roster(b"\xef\xbb\xbfreferentie\nA1\n")
    assert [r.reference for r in roster.rows] == ["A1"]
    assert [(n.line, n.code) for n in roster.notices] == [(1, "bom")]
    assert roster.errors == []


def test_a_long_value_is_shortened_in_the_message():
    roster = parse_roster(b"referentie\n" + b"y" * 200 + b"\n")
    assert len(roster.errors[0].message) < 200


def test_too_many_rows():
    raw = b"referentie\n" + b"".join(f"R{i}\n".encode() for i in range(MAX_ROWS + 1))
    assert errors(raw) == [(MAX_ROWS + 2, "too-many")]


def test_650_rows():
    raw = b"referentie\n" + b"".join(f"S{i:05d}\n".encode() for i in range(650))
    roster = parse_roster(raw)
    assert len(roster.rows) == 650
    assert roster.errors == []


# -- the client's side: names sealed before anything is sent --------------------------------


def test_names_are_sealed_on_the_client_and_read_back_by_the_school():
    school = crypto.Identity.generate()
    sealed = seal_names(
        "\ufeffreferentie;naam\nA1;Zoë de Vries\nA2;\n\n".encode(), school.public.box_pk
    )
    # Whole words of the name: base64url ciphertext can hold "Zo" by chance, never "ë" or " ".
    assert "Zoë".encode() not in sealed
    assert b"de Vries" not in sealed
    assert sealed.startswith(b"\xef\xbb\xbf")
    roster = parse_roster(sealed)
    assert [(e.line, e.code) for e in roster.errors] == [(4, "empty-line")]
    first = roster.rows[0].sealed_name
    assert first is not None
    assert crypto.open_value(school.box, first).decode() == "Zoë de Vries"
    assert roster.rows[1].sealed_name is None


def test_the_client_refuses_what_it_cannot_seal():
    box_pk = crypto.Identity.generate().public.box_pk
    with pytest.raises(RosterError) as bad_bytes:
        seal_names("referentie,naam\nA1,José\n".encode("latin-1"), box_pk)
    assert bad_bytes.value.problems[0].startswith("Regel 2: ")
    with pytest.raises(RosterError) as bad_columns:
        seal_names(b"referentie,naam\nA1;Jos Jansen;4B\n", box_pk)
    assert "Regel 2" in bad_columns.value.problems[0]
    assert seal_names(b"referentie\nA1\n", box_pk) == b"referentie\nA1\n"
    with pytest.raises(RosterError) as empty:
        seal_names(b"", box_pk)
    assert empty.value.problems == ["Het bestand is leeg."]


# A school's export as it comes: the client refuses it whole rather than send any column it
# does not seal (the names and e-mail addresses in these lists were sent in the clear before).
LEAKY_LISTS = {
    "extra columns": b"Studentnummer;Roepnaam;Achternaam;E-mail\n1001;Sam;Vries;sam@example.nl\n",
    "tabs": b"studentnummer\tnaam\temail\n1001\tSam Vries\tsam@example.nl\n",
    "name in the reference": b"referentie;naam\nSam Vries;\n",
    "utf-16": "referentie;naam\n1001;Sam Vries\n".encode("utf-16"),
}


@pytest.mark.parametrize("case", sorted(LEAKY_LISTS))
def test_the_client_refuses_a_list_it_would_not_fully_seal(case):
    box_pk = crypto.Identity.generate().public.box_pk
    with pytest.raises(RosterError) as refused:
        seal_names(LEAKY_LISTS[case], box_pk)
    assert refused.value.problems
    assert all(p.startswith(("Regel", "Het bestand")) for p in refused.value.problems)


def test_a_tab_separated_list_goes_out_sealed_and_comma_separated():
    school = crypto.Identity.generate()
    sent = seal_names(b"studentnummer\tnaam\n1001\tSam Vries\n", school.public.box_pk)
    assert b"Sam" not in sent
    roster = parse_roster(sent)
    assert roster.errors == []
    [row] = roster.rows
    assert row.reference == "1001"
    assert row.sealed_name is not None
    assert crypto.open_value(school.box, row.sealed_name) == b"Sam Vries"


def test_a_group_column_is_sealed_like_the_name_and_refused_in_the_clear():
    school = crypto.Identity.generate()
    sent = seal_names(b"referentie;naam;groep\nA1;Sam Vries;4B\nA2;;\n", school.public.box_pk)
    # A cell in the clear, not the two characters (base64 of random bytes holds "4B" often).
    cells = [cell for line in sent.decode().splitlines()[1:] for cell in line.split(";")]
    assert "4B" not in cells
    assert b"Sam Vries" not in sent
    roster = parse_roster(sent)
    assert roster.errors == []
    first, second = roster.rows
    assert first.sealed_group is not None
    assert crypto.open_value(school.box, first.sealed_group) == b"4B"
    # One batch per list (docs/crypto.md, "Batch-sealed values"): version byte and ephemeral
    # key shared, a nonce of its own.
    assert first.sealed_name is not None
    assert first.sealed_group[:33] == first.sealed_name[:33]
    assert first.sealed_group[0] == crypto.VERSION
    assert first.sealed_group[33:57] != first.sealed_name[33:57]
    assert second.sealed_group is None
    plain = parse_roster(b"referentie,groep\nA1,4B\n")
    assert [(e.line, e.code) for e in plain.errors] == [(2, "group-not-sealed")]


@given(
    st.lists(
        st.text(alphabet=st.characters(blacklist_characters='"\r\n'), max_size=12),
        min_size=1,
        max_size=5,
    ),
    st.sampled_from(",;"),
)
def test_a_line_without_quotes_splits_as_the_csv_module_reads_it(fields, delimiter):
    """The reader's plain split for lines without quotes is `csv`'s reading of them."""
    line = delimiter.join(fields)
    assert _fields(line, delimiter) == next(csv.reader([line], delimiter=delimiter), [])


@pytest.mark.parametrize("line", ['"A,1",x', 'A1,"x"', ""])
def test_a_line_with_quotes_is_read_by_the_csv_module(line):
    assert _fields(line, ",") == next(csv.reader([line], delimiter=","), [])


def test_a_carriage_return_inside_a_line_is_named_not_a_crash():
    """`csv` raises on it; the reader names the line in Dutch (it was a 500 before)."""
    assert errors(b"referentie,naam\nA1\r2,\nA3,\n") == [(2, "reference")]
    assert errors(b'referentie,naam\n"A1\r2",\n') == [(2, "reference")]
