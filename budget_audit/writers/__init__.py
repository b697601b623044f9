"""Writers: files the suite produces for people to fill in (the blank workbook, CSV folders)."""
