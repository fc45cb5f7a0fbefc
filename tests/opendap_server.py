"""A real OPeNDAP (DAP2) server on 127.0.0.1 for the tests: pydap's server over netCDF files.

Each file is read with xarray as stored (undecoded) and served by pydap's handler, which
answers the DDS, DAS and data requests (with constraint expressions: the slices asked for)
that the netCDF library's client sends. Nothing here reaches the internet.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import numpy as np
import pytest
import xarray as xr

pydap_model = pytest.importorskip("pydap.model", reason="pydap (test extra) serves OPeNDAP")
pydap_lib = pytest.importorskip("pydap.handlers.lib")


class _Router:
    """One pydap handler per served name: ``/NAME.dds``, ``/NAME.das``, ``/NAME.dods?...``."""

    def __init__(self, handlers: Mapping[str, object]) -> None:
        self.handlers = dict(handlers)
        self.requests: list[str] = []

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        name = path.lstrip("/").rsplit(".", 1)[0]
        self.requests.append(path + ("?" + environ["QUERY_STRING"]
                                     if environ.get("QUERY_STRING") else ""))
        handler = self.handlers.get(name)
        if handler is None:
            start_response("404 Not Found", [("Content-Type", "text/plain")])
            return [b"no such dataset"]
        environ = dict(environ, PATH_INFO="/" + path.lstrip("/").split("/", 1)[-1])
        return handler(environ, start_response)


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args) -> None:  # the tests' output stays clean
        pass


def _dap_dataset(path: Path, name: str):
    """The file's variables, attributes and dimensions as a pydap dataset.

    Packed variables are served unpacked (floats, missing values as NaN): pydap writes
    attributes with 6 significant digits, so a served ``scale_factor`` would not be the
    file's (a real THREDDS server writes them in full). Attributes keep their numpy types,
    so that each is served with its variable's DAP type.
    """
    with xr.open_dataset(path, decode_times=False) as source:
        dataset = pydap_model.DatasetType(name, attributes={"NC_GLOBAL": _escaped(source.attrs)})
        for key, variable in source.variables.items():
            values = np.asarray(variable.values)
            attributes = _escaped(variable.attrs)
            if values.dtype.kind == "f":
                attributes["_FillValue"] = values.dtype.type(np.nan)
            dataset[key] = pydap_model.BaseType(key, values, dims=variable.dims,
                                                attributes=attributes)
    return dataset


def _escaped(attributes: Mapping) -> dict:
    """Attributes with the quotes in text escaped as DAP2 wants (pydap writes them as they
    are, and the client then drops every attribute of the dataset: NCO's ``"4.5.4"``)."""
    return {key: value.replace("\\", "\\\\").replace('"', '\\"') if isinstance(value, str)
            else value for key, value in attributes.items()}


@contextlib.contextmanager
def opendap_server(files: Mapping[str, Path]) -> Iterator[tuple[str, _Router]]:
    """Serve ``files`` (name -> netCDF path) at ``http://127.0.0.1:PORT/NAME``.

    Yields the base address (``http://127.0.0.1:PORT``) and the router, whose ``requests``
    lists what the clients asked for. The server stops when the block ends.
    """
    router = _Router({name: pydap_lib.BaseHandler(_dap_dataset(Path(path), name))
                      for name, path in files.items()})
    server: WSGIServer = make_server("127.0.0.1", 0, router, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", router
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
