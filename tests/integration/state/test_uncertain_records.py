"""Records of creates whose answer was lost: written to the state file at once, kept by both
backends across processes, dropped once resolved (also on the git branch), and waited out by the
next read, whose plan notes say what became of each."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from gitkit import backend, bare_remote, branch_file, clone

from catalogctl.core import LiveState
from catalogctl.core.uncertain import UncertainCreate, records, wait_needed
from catalogctl.model.address import Address
from catalogctl.model.resource import Resource
from catalogctl.state.file import load_state
from catalogctl.state.journal import StateJournal
from catalogctl.state.uncertain import UncertainJournal, read_settled, resolve


def _record(sku: str, lost_at: float, settle_s: float = 5.0) -> UncertainCreate:
    return UncertainCreate(str(Address.for_product(sku)), f"sku={sku}", "products.json", lost_at, settle_s,
                           "Server disconnected without sending a response.")


def _live(*skus: str) -> LiveState:
    resources = {Address.for_product(s): Resource(Address.for_product(s), {"sku": s}, live_id=str(n))
                 for n, s in enumerate(skus, start=7)}
    return LiveState(resources)


def test_a_lost_answer_is_on_disk_at_once_even_in_a_large_paced_state(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    state = load_state(path, "prod")
    journal = StateJournal(state)
    journal.record({f"image:{n}": {"src": f"https://x/{n}.png"} for n in range(500)})  # large: paced from now
    journal.record({"image:9999": {"src": "https://x/late.png"}})   # paced: not written yet
    UncertainJournal(state, journal).lost([_record("TS-1", time.time())])
    on_disk = json.loads(path.read_text())["facts"]
    assert on_disk['uncertain:product["TS-1"]']["key"] == "sku=TS-1"
    assert on_disk['uncertain:product["TS-1"]']["call"] == "products.json"
    assert [r.address for r in records(load_state(path, "prod").facts)] == ['product["TS-1"]']


def test_settled_and_resolved_records_are_dropped_and_damaged_ones_never_trusted(tmp_path: Path) -> None:
    state = load_state(tmp_path / "prod.json", "prod")
    journal = StateJournal(state)
    uncertain = UncertainJournal(state, journal)
    now = time.time()
    uncertain.lost([_record("OLD", now - 60), _record("YOUNG", now), _record("DONE", now)])
    state.merge({'uncertain:product["BROKEN"]': {"address": 'product["BROKEN"]'}})   # no lost_at
    assert [r.address for r in records(state.facts)] == ['product["OLD"]', 'product["DONE"]', 'product["YOUNG"]']
    uncertain.settled([Address.for_product("DONE")])   # its create succeeded (or was found) in this apply
    assert uncertain.resolve(_live(), now) == 2          # OLD: window over before the read; BROKEN: damaged
    journal.flush()
    facts = load_state(tmp_path / "prod.json", "prod").facts
    assert sorted(facts) == ['uncertain:product["YOUNG"]']


def test_a_record_from_an_earlier_apply_is_dropped_when_its_create_succeeds_in_this_one(tmp_path: Path) -> None:
    path = tmp_path / "prod.json"
    earlier = load_state(path, "prod")
    UncertainJournal(earlier, StateJournal(earlier)).lost([_record("TS-1", time.time() - 60),
                                                           _record("TS-2", time.time() - 60)])
    state = load_state(path, "prod")   # the next apply: the records come from the file, not from lost()
    UncertainJournal(state, StateJournal(state)).settled([Address.for_product("TS-1")])
    assert [r.address for r in records(state.facts)] == ['product["TS-2"]'] and state.dirty
    clean = load_state(tmp_path / "other.json", "other")   # none at all: nothing to drop, nothing written
    UncertainJournal(clean, StateJournal(clean)).settled([Address.for_product("TS-1")])
    assert clean.facts == {} and not clean.dirty


def test_the_next_read_waits_out_the_window_and_notes_what_landed(tmp_path: Path) -> None:
    now = time.time()
    facts = {f"uncertain:{r.address}": r.to_fact()
             for r in (_record("LANDED", now - 0.5, settle_s=1.0), _record("LOST", now - 0.5, settle_s=1.0))}
    read_at: list[float] = []

    async def read() -> LiveState:
        read_at.append(time.time())
        return _live("LANDED", "OTHER")

    live = asyncio.run(read_settled(read, facts))
    assert read_at[0] >= now + 0.5 - 0.01       # not before the window's end
    assert len(live.notes) == 2
    assert 'the create of product["LANDED"] that lost its answer' in live.notes[0]
    assert live.notes[0].endswith("had landed: adopted (id 7)")
    assert "product[\"LOST\"]" in live.notes[1] and "planned as a create again" in live.notes[1]


def test_no_records_no_wait_and_a_clock_ahead_never_stalls_longer_than_a_window() -> None:
    assert wait_needed([]) == 0
    now = time.time()
    assert wait_needed([_record("A", now + 3600, settle_s=2.0)], now) == 2.0


def test_the_git_backend_keeps_a_record_across_clones_and_does_not_resurrect_a_dropped_one(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path)
    first, second = clone(remote, tmp_path / "a"), clone(remote, tmp_path / "b")
    state = backend(first).load()
    state.merge({"image:1": {"src": "https://x/1.png"}})
    UncertainJournal(state, StateJournal(state)).lost([_record("TS-1", time.time() - 60)])
    assert 'uncertain:product["TS-1"]' in json.loads(branch_file(remote, "prod.json") or "")["facts"]

    other = backend(second).load()   # the next apply, on another runner
    assert [r.address for r in records(other.facts)] == ['product["TS-1"]']
    assert UncertainJournal(other, StateJournal(other)).resolve(_live()) == 1
    other.save()   # the branch still has the record: the merge must not bring it back
    facts = json.loads(branch_file(remote, "prod.json") or "")["facts"]
    assert 'uncertain:product["TS-1"]' not in facts and facts["image:1"] == {"src": "https://x/1.png"}


def test_an_adopted_create_keeps_what_its_answer_would_have_taught_and_a_superseded_id_is_not_ours(
        tmp_path: Path) -> None:
    state = load_state(tmp_path / "prod.json", "prod")
    cover = str(Address.image("NEW", 0))
    taught = {str(Address.for_product("NEW")): {"short_description": "Soft.", "options": ["Size"]},
              cover: {"src": "https://img.example/new.png"}}
    landed = UncertainCreate('product["NEW"]', "sku=NEW", "products.json", time.time() - 60, 5.0, "lost", taught)
    # a replacement of REP (live id 8) whose new product never landed: REP still reads as id 8
    replaced = UncertainCreate('product["REP"]', "sku=REP", "products.json", time.time() - 60, 5.0, "lost",
                               {'product["REP"]': {"short_description": "new text"}}, before="8")
    state.merge({r.fact_key: r.to_fact() for r in (landed, replaced)})
    live = _live("NEW", "REP")   # NEW is id 7, REP id 8
    image = Resource(Address.image("NEW", 0), {"position": 0}, live_id="70")
    live = LiveState({**live.resources, image.address: image})
    notes = asyncio.run(read_settled(lambda: _as_awaitable(live), state.facts)).notes
    assert notes[0].endswith("had landed: adopted (id 7)")
    assert notes[1].startswith('the replacement of product["REP"] (live id 8) lost its answer at ')
    assert notes[1].endswith("a replacement planned again adopts the new product if it landed, else creates it")
    assert resolve(state, live) == 2
    assert state.facts == {"product:7": {"short_description": "Soft.", "options": ["Size"]},
                           "image:70": {"src": "https://img.example/new.png"}}


async def _as_awaitable(live: LiveState) -> LiveState:
    return live
