"""Files in and out: answers (CSV, Excel, JSON), catalogues and edition files."""
