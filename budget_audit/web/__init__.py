"""The local web page for units (`budget-audit serve`): see `app.py`."""
