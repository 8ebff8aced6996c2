"""The collection desk (``xltool serve``): the office sends the year's forms to its units, each unit's clerk uploads
a filled workbook or official form in a browser and sees every finding on its own cells at once, 送审 when it has no
error; the office sees who is done, 通过 or 退回 with a comment, and downloads the summary at any moment.

Parts: ``db`` (tables, engine, migrations), ``store`` (every read and write of the desk's data), ``files``
(uploaded bytes, content-addressed), ``worker`` (validation and documents in a process pool with a time limit),
``security`` (tokens, passwords, CSRF, limits, headers), ``app`` (the ASGI app: unit pages, office pages, the API),
``setup`` (what ``xltool desk`` does). Imported only by ``xltool serve`` and ``xltool desk``.
"""
