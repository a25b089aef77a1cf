"""Reports over scored conversations (issue 16): tables shared by every output
(:mod:`.tables`), the spreadsheet (:mod:`.xlsx`) and the self-contained HTML report
(:mod:`.html`, charts from :mod:`.charts`). Imported only by ``--summary`` and ``chatlint
report``: ``chatlint check`` never loads the plotting or spreadsheet libraries."""
