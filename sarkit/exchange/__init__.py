"""Case exchange between rescue coordination centres: packages and SITREPs.

* :func:`export_case` / :func:`import_case` -- one self-describing package file per case
  (:mod:`sarkit.exchange.package`), checked as untrusted input on import
  (:mod:`sarkit.exchange.reader`, :mod:`sarkit.exchange.manifest`) and re-run to reproduce
  the sender's areas byte for byte;
* :func:`sitrep` -- a situation report in the IAMSAR layout (:mod:`sarkit.exchange.sitrep`).
"""

from sarkit.exchange.manifest import PackageError
from sarkit.exchange.package import CaseExport, CaseImport, export_case, import_case
from sarkit.exchange.reader import CasePackage, read_package
from sarkit.exchange.sitrep import sitrep

__all__ = ["CaseExport", "CaseImport", "CasePackage", "PackageError", "export_case",
           "import_case", "read_package", "sitrep"]
