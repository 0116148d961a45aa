"""Data quality (数据质量): each uploaded table is checked against its dataset's data
dictionary — column names and order, types, required and unique values, ranges, allowed
values, ID-number, phone and credit-code formats, the declared row count — with
frictionless; the report is kept per file version, scored, shown to the publisher with the
cells at fault and summed up for the public and the authority."""
