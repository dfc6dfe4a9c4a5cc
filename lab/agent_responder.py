"""snmpsim's command responder, answering from in-memory tables of pre-encoded varbinds.

snmpsim and pysnmp stay the agent: engine, USM, message processing, transports, the
responder applications, the context each endpoint's data is registered under. What
changes is the data behind a context, and how a response's varbinds are built:

- snmpsim's data file (a dbm index per file, a seek and a text parse per OID) becomes an
  :class:`~lab.agent_table.EndpointTable`, loaded from the same ``.snmprec`` file
  on the endpoint's first request;
- GET, GETNEXT and GETBULK are answered here, by joining pre-encoded varbinds into one
  ``VarBindList`` that pyasn1 writes out as it is (:class:`EncodedVarBinds`), instead of
  building pyasn1 objects per varbind. Anything else (SET, SNMPv1, snmpsim's own index
  context) takes snmpsim's and pysnmp's path, through the same table.

The patches also repair snmpsim 1.2.2 for pysnmp 7: it overrides the pysnmp 4 method names,
so its per-endpoint data selection never ran; and they add the v2c communities.
"""

from __future__ import annotations

import time
from hashlib import md5
from pathlib import Path
from typing import Any

from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import rfc1905
from pysnmp.proto.api import v2c

from edunet import ber
from lab.agent_table import EndpointTable, Live, Oid
from lab.variation import edunet_live

__all__ = ["EncodedVarBinds", "MemoryController", "MemoryDataFile", "answer", "patch"]

MAX_VARBINDS = 64  # per GETBULK response unless --max-var-binds says otherwise (snmpsim's)
PDU_OVERHEAD = 32  # response PDU bytes around its varbinds (tag, ids, error fields)
CONTEXT_CACHE_MAX = 100_000
TOO_BIG = 1


class EncodedVarBinds(rfc1905.VarBindList):  # type: ignore[misc]
    """A VarBindList already BER-encoded: pyasn1 writes its bytes out unchanged."""

    typeId = rfc1905.VarBindList.getTypeId()

    def __init__(self, payload: bytes = b"") -> None:
        super().__init__()
        self._payload = payload

    @property
    def isValue(self) -> bool:
        return True


class _PreEncoded:
    def encode(self, value: Any, asn1Spec: Any = None, encodeFun: Any = None, **opts: Any) -> bytes:
        return ber.tlv(ber.Tag.SEQUENCE, value._payload)


encoder.TYPE_MAP[EncodedVarBinds.typeId] = _PreEncoded()


class MemoryDataFile:
    """Stands in for snmpsim's DataFile: the same file, read once into memory."""

    layout = "edunet-memory"

    def __init__(self, text_file: str, text_parser: Any = None, variation_modules: Any = None):
        self.path = Path(text_file)
        self._table: EndpointTable | None = None

    def index_text(self, force_index_build: bool = False, validate_data: bool = False) -> Any:
        return self  # no index: the table is built on the endpoint's first request

    def table(self) -> EndpointTable:
        if self._table is None:
            self._table = EndpointTable.load(self.path)
        return self._table

    def __str__(self) -> str:
        return f"{self.path} (in memory)"


def _live_values() -> Any:
    now = time.time()
    faults = edunet_live.device_faults(now)
    live_value = edunet_live.live_value

    def live(record: Live) -> Any:
        return live_value(record.params, now, faults)

    return live


_NO_SUCH_INSTANCE, _END_OF_MIB_VIEW = ber.ENCODED_NO_SUCH_INSTANCE, ber.ENCODED_END_OF_MIB_VIEW


def _exception(oid: Oid, encoded: bytes) -> bytes:
    """A varbind naming ``oid`` with an exception value (noSuchInstance, endOfMibView)."""
    return ber.encode_varbind(ber.encode_oid(oid), encoded)


def _varbind_list(
    table: EndpointTable, oids: list[Oid], kind: str, bulk: tuple[int, int], max_varbinds: int
) -> list[bytes]:
    """The encoded varbinds answering ``oids``; ``bulk`` is (non-repeaters, repetitions)."""
    live = _live_values()
    out: list[bytes] = []
    if kind == "get":
        for o in oids:
            i = table.find(o)
            out.append(table.varbind(i, live) if i >= 0 else _exception(o, _NO_SUCH_INSTANCE))
        return out
    if kind == "set":  # read-only data: what snmpsim answers for a SET
        return [_exception(o, _NO_SUCH_INSTANCE) for o in oids]
    end = len(table)
    n, m = bulk if kind == "bulk" else (len(oids), 0)
    n = min(max(n, 0), len(oids))
    for o in oids[:n]:
        i = table.after(o)
        out.append(table.varbind(i, live) if i < end else _exception(o, _END_OF_MIB_VIEW))
    repeaters = oids[n:]
    if not repeaters:
        return out
    m = min(max(m, 0), max_varbinds // len(repeaters))
    # each repeater walks on from where it is; past the end it repeats endOfMibView
    positions = [table.after(o) for o in repeaters]
    lasts = list(repeaters)  # the OID each repeater asks next: endOfMibView names it
    for _ in range(m):
        finished = min(positions) >= end
        for j, i in enumerate(positions):
            if i < end:
                out.append(table.varbind(i, live))
                positions[j] = i + 1
                lasts[j] = table.oid_at(i)
            else:
                out.append(_exception(lasts[j], _END_OF_MIB_VIEW))
        if finished:  # a repetition of nothing but endOfMibView: no more (as net-snmp does)
            break
    return out


def answer(
    table: EndpointTable,
    oids: list[Oid],
    kind: str,
    bulk: tuple[int, int] = (0, 0),
    max_size: int = 65507,
    max_varbinds: int = MAX_VARBINDS,
) -> tuple[int, bytes]:
    """(error status, encoded varbinds) for a request; GETBULK answers are cut to fit."""
    varbinds = _varbind_list(table, oids, kind, bulk, max_varbinds)
    budget = max_size - PDU_OVERHEAD
    size = sum(len(v) for v in varbinds) + 4
    if size <= budget:
        return 0, b"".join(varbinds)
    if kind != "bulk":
        return TOO_BIG, b""
    kept, size = [], 4
    for v in varbinds:
        size += len(v)
        if size > budget:
            break
        kept.append(v)
    return 0, b"".join(kept)


class MemoryController:
    """snmpsim's MIB controller interface over a table: pysnmp's own path (SET, v1)."""

    def __init__(self, data_file: MemoryDataFile) -> None:
        self.data_file = data_file

    def __str__(self) -> str:
        return str(self.data_file)

    def table(self) -> EndpointTable:
        return self.data_file.table()

    def _answer(self, kind: str, var_binds: Any) -> list[Any]:
        oids = [tuple(vb[0]) for vb in var_binds]
        _, payload = answer(self.table(), oids, kind)
        decoded, _ = decoder.decode(
            ber.tlv(ber.Tag.SEQUENCE, payload), asn1Spec=rfc1905.VarBindList()
        )
        return list(decoded)

    def read_variables(self, *var_binds: Any, **context: Any) -> list[Any]:
        return self._answer("get", var_binds)

    def read_next_variables(self, *var_binds: Any, **context: Any) -> list[Any]:
        return self._answer("next", var_binds)

    def write_variables(self, *var_binds: Any, **context: Any) -> list[Any]:
        return self._answer("set", var_binds)


_KINDS = {"Get": "get", "Next": "next", "Bulk": "bulk", "Set": "set"}


def patch(communities: dict[str, str], faults: str) -> None:
    """Patch snmpsim's responder before its ``main()`` runs."""
    from pysnmp import error as snmp_error
    from pysnmp.entity import config
    from pysnmp.entity.rfc3413 import cmdrsp
    from snmpsim import controller, datafile
    from snmpsim.commands import responder
    from snmpsim.error import NoDataNotification

    edunet_live.init(options=faults)
    datafile.DataFile = MemoryDataFile
    controller.MIB_CONTROLLERS[MemoryDataFile.layout] = MemoryController
    chosen: dict[tuple[Any, ...], bytes] = {}

    def select_context(rsp: Any, engine: Any) -> bytes:
        """snmpsim's own candidate names (context/transport domain/source), first found."""
        ex = engine.observer.get_execution_context("rfc3412.receiveMessage:request")
        engine_id = ex["contextEngineId"]
        key = (engine_id, ex["transportDomain"], ex["transportAddress"][0], ex["contextName"])
        name = chosen.get(key)
        if name is not None:
            return name
        label = datafile.SELF_LABEL if engine_id == engine.snmpEngineID else str(engine_id)
        for candidate in datafile.probe_context(
            ex["transportDomain"], ex["transportAddress"], label, ex["contextName"].prettyPrint()
        ):
            name = md5(candidate).hexdigest().encode() if len(candidate) > 32 else candidate
            try:
                rsp.snmpContext.get_mib_instrum(name)
            except snmp_error.PySnmpError:
                continue
            if len(chosen) >= CONTEXT_CACHE_MAX:
                chosen.clear()
            chosen[key] = name
            return name
        raise NoDataNotification()

    def handler(base: Any, kind: str) -> Any:
        def handle_management_operation(
            self: Any, engine: Any, state_ref: Any, context_name: Any, pdu: Any
        ) -> None:
            try:
                context_name = select_context(self, engine)
            except NoDataNotification:  # no data here for this context: stay silent
                self.release_state_information(state_ref)
                return
            instrum = self.snmpContext.get_mib_instrum(context_name)
            pending = self._CommandResponderBase__pendingReqs.get(state_ref)
            if not isinstance(instrum, MemoryController) or pending is None or pending[0] == 0:
                base.handle_management_operation(self, engine, state_ref, context_name, pdu)
                return
            oids = [vb[0].asTuple() for vb in pdu.getComponentByPosition(3)]
            bulk = (0, 0)
            if kind == "bulk":
                bulk = (
                    int(v2c.apiBulkPDU.get_non_repeaters(pdu)),
                    int(v2c.apiBulkPDU.get_max_repetitions(pdu)),
                )
            # snmpsim sets maxVarBinds from --max-var-binds; pysnmp 7 never reads it
            limit = int(getattr(self, "maxVarBinds", MAX_VARBINDS) or MAX_VARBINDS)
            status, payload = answer(
                instrum.table(), oids, kind, bulk, min(int(pending[9]), 65507), limit
            )
            rsp = pending[7]
            v2c.apiPDU.set_error_status(rsp, status)
            v2c.apiPDU.set_error_index(rsp, 0)
            rsp.setComponentByPosition(
                3, EncodedVarBinds(payload), verifyConstraints=False, matchTags=False,
                matchConstraints=False,
            )  # fmt: skip
            self.send_pdu(engine, state_ref, rsp)
            self.release_state_information(state_ref)

        return handle_management_operation

    for name, kind in _KINDS.items():
        cls = getattr(responder, f"{name}CommandResponder")
        cls.handle_management_operation = handler(getattr(cmdrsp, f"{name}CommandResponder"), kind)

    get_init = responder.GetCommandResponder.__init__

    def init(self: Any, engine: Any, context: Any, *args: Any, **kwargs: Any) -> None:
        # built once per engine, after its USM users: the moment to add the communities
        for ctx, community in communities.items():
            config.add_v1_system(engine, f"edunet-{ctx}", community, contextName=ctx)
        get_init(self, engine, context, *args, **kwargs)

    responder.GetCommandResponder.__init__ = init
