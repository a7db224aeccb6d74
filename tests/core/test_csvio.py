from lms.core.csvio import read_csv, write_csv


def test_formula_cells_are_neutralised_on_export():
    text = write_csv(["name", "note"], [['=HYPERLINK("http://evil")', "+1"], ["@SUM(A1)", "-2"], ["Ana", "ok"]])
    rows = read_csv(text)
    assert rows[0] == {"name": '\'=HYPERLINK("http://evil")', "note": "'+1"}
    assert rows[1] == {"name": "'@SUM(A1)", "note": "'-2"}
    assert rows[2] == {"name": "Ana", "note": "ok"}
    assert text.endswith("\r\n")  # RFC 4180 line endings


def test_reading_accepts_a_byte_order_mark_and_normalises_headers():
    rows = read_csv("\ufeffE-mail , Name\r\nana@example.com, Ana \r\n".encode())
    assert rows == [{"e-mail": "ana@example.com", "name": "Ana"}]
