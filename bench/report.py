"""The benchmark's markdown tables and PNG charts (matplotlib, Agg backend)."""

from __future__ import annotations

from pathlib import Path

from bench import sql_counts

GOALS = {
    "degree_median": 0.5,
    "degree_p99": 1.0,
    "memory": 0.2,
    "inbox": 2.0,
    "bot_rss_mb": 500,
    "startup_100k_s": 3.0,
    "startup_1m_s": 30.0,
}


def _ms(us: float) -> str:
    return f"{us / 1000:.3f}"


def _ok(met: bool) -> str:
    return "met" if met else "**missed**"


def markdown(r: dict) -> str:
    m = r["machine"]
    out = [
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, Python "
        f"{m['python']}, SQLite {m['sqlite']}. Run: {r.get('started', '')},"
        f" {r.get('seconds', 0):.0f} s.",
        "",
    ]
    if r.get("degrees"):
        out += _degrees(r["degrees"])
    if r.get("memory"):
        out += _memory(r["memory"])
    if r.get("startup"):
        out += _startup(r["startup"])
    if r.get("inbox"):
        out += _inbox(r["inbox"])
    if r.get("digests"):
        d = r["digests"]
        out += [
            "",
            "### Digests of every member with unread messages (first page of 10)",
            "",
            "| members | ours, `core.inbox.digests` (s) | one aggregate SQL query (s) | ratio |"
            " lines ours / SQL | one member at a time (s, for information) |",
            "|---|---|---|---|---|---|",
            f"| {d['members']:,} | {d['ours_s']:.3f} | {d['sql_s']:.3f} | {d['ratio']:.2f}"
            f" {'' if d['ratio'] <= GOALS['inbox'] else '(missed)'} |"
            f" {d.get('lines_ours', '?')} / {d.get('lines_sql', '?')} |"
            f" {d.get('one_by_one_s', 0):.1f} |",
        ]
    if r.get("relay"):
        out += ["", *relay(r["relay"], r.get("relay_run", {}).get("started"))]
    return "\n".join(out) + "\n"


def _degrees(rows: list[dict]) -> list[str]:
    out = [
        "### Degree queries (per query, ms; ratio = ours / baseline, same run)",
        "",
        "| members | edges | pairs (1st/2nd/3rd/out) | ours median / p99 | networkx median /"
        " p99 | igraph pair median / p99 | igraph full row median | ours/networkx median"
        " (p99) | ours/igraph pair median | mismatches |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for d in rows:
        o, n, i, row = (d["degree"][k] for k in ("ours", "networkx", "igraph_pair", "igraph_row"))
        p = d["pairs"]
        out.append(
            f"| {d['members']:,} | {d['edges']:,} | {p['1st']}/{p['2nd']}/{p['3rd']}/{p['out']}"
            f" | {_ms(o['median_us'])} / {_ms(o['p99_us'])}"
            f" | {_ms(n['median_us'])} / {_ms(n['p99_us'])} | {_ms(i['median_us'])} /"
            f" {_ms(i['p99_us'])} | {_ms(row['median_us'])} |"
            f" {o['median_us'] / n['median_us']:.2f} ({o['p99_us'] / n['p99_us']:.2f}) |"
            f" {o['median_us'] / i['median_us']:.3f} | {d['mismatches']} |"
        )
    out += [
        "",
        "By degree class (median ms, ours / networkx):",
        "",
        "| members | 1st | 2nd | 3rd | out of network |",
        "|---|---|---|---|---|",
    ]
    for d in rows:
        cells = [
            f"{_ms(d['degree_by_class'][c]['ours']['median_us'])} /"
            f" {_ms(d['degree_by_class'][c]['networkx']['median_us'])}"
            for c in ("1st", "2nd", "3rd", "out")
        ]
        out.append(f"| {d['members']:,} | " + " | ".join(cells) + " |")
    out += [
        "",
        "| members | mutual connections ours / networkx (ms, median) | rank 50 results"
        " by degree ours / networkx (ms, median) | ratio |",
        "|---|---|---|---|",
    ]
    for d in rows:
        mu, ra = d["mutual"], d["rank50"]
        out.append(
            f"| {d['members']:,} | {_ms(mu['ours']['median_us'])} /"
            f" {_ms(mu['networkx']['median_us'])} | {_ms(ra['ours']['median_us'])} /"
            f" {_ms(ra['networkx']['median_us'])} |"
            f" {ra['ours']['median_us'] / ra['networkx']['median_us']:.2f} |"
        )
    out += [
        "",
        "Graph memory: RSS growth while loading, each in a fresh process.",
        "",
        "| members | graph index `memory_bytes()` (MB) | ours RSS delta on `Core.open`"
        " (MB) | networkx RSS delta (MB) | ours/networkx (RSS) | load: Core.open /"
        " networkx build (s) |",
        "|---|---|---|---|---|---|",
    ]
    for d in rows:
        mem, load = d["memory"], d["load_seconds"]
        ratio = mem["ours_rss_bytes"] / max(1, mem["networkx_rss_bytes"])
        out.append(
            f"| {d['members']:,} | {mem['ours_index_bytes'] / 2**20:.0f} |"
            f" {mem['ours_rss_bytes'] / 2**20:.0f} |"
            f" {mem['networkx_rss_bytes'] / 2**20:.0f} | {ratio:.2f} |"
            f" {load['ours_core_open']:.1f} / {load['networkx_build']:.1f} |"
        )
    biggest = max(rows, key=lambda d: d["members"])
    o, n = biggest["degree"]["ours"], biggest["degree"]["networkx"]
    mem = biggest["memory"]
    out += [
        "",
        f"Goals at {biggest['members']:,} members: ours/networkx median"
        f" {o['median_us'] / n['median_us']:.2f} ≤ {GOALS['degree_median']}"
        f" {_ok(o['median_us'] / n['median_us'] <= GOALS['degree_median'])}; p99"
        f" {o['p99_us'] / n['p99_us']:.2f} ≤ {GOALS['degree_p99']}"
        f" {_ok(o['p99_us'] / n['p99_us'] <= GOALS['degree_p99'])}; graph memory"
        f" {mem['ours_rss_bytes'] / max(1, mem['networkx_rss_bytes']):.2f} ≤"
        f" {GOALS['memory']}"
        f" {_ok(mem['ours_rss_bytes'] / max(1, mem['networkx_rss_bytes']) <= 0.2)}.",
    ]
    return out


def _memory(mem: dict) -> list[str]:
    out = ["", "### Memory of what the bot holds"]
    for kind, label in (
        ("core", "a process that opens it through `Core.open`"),
        ("bot", "the real bot (`python -m bridge`) after a few commands"),
    ):
        x = mem.get(kind)
        if not x:
            continue
        if "error" in x:
            out.append(f"- {label}: not measured ({x['error'][:200]})")
        else:
            out.append(
                f"- {label}: peak RSS **{x['peak_rss_mb']:.0f} MB** (goal < 500 MB:"
                f" {_ok(x['peak_rss_mb'] < GOALS['bot_rss_mb'])})"
            )
    out[1] += f" ({Path(mem['database']).name})"
    out.insert(2, "")
    return out


def _startup(s: dict) -> list[str]:
    out = [
        "",
        "### Start-up: process start to the bot's first answer (s, median; a `/start` is waiting)",
        "",
        "| members | graph rebuilt (as before): first answer [graph; snapshot saved] |"
        " from the snapshot: first answer [graph] | snapshot + 10,000 changes replayed:"
        " first answer [graph] | ratio snapshot / rebuilt | bot peak RSS rebuilt /"
        " snapshot (MB) |",
        "|---|---|---|---|---|---|",
    ]
    for d in s["sizes"]:
        rb, sn, ch = d["rebuild"], d["snapshot"], d["snapshot + changes"]
        out.append(
            f"| {d['members']:,} | {rb['seconds']:.2f} [{rb.get('graph_seconds', 0):.2f};"
            f" {rb.get('snapshot_saved_seconds', 0):.2f}] | {sn['seconds']:.2f}"
            f" [{sn.get('graph_seconds', 0):.2f}] | {ch['seconds']:.2f}"
            f" [{ch.get('graph_seconds', 0):.2f}] | {d['ratio']:.3f} |"
            f" {rb['peak_rss_mb']:.0f} / {sn['peak_rss_mb']:.0f} |"
        )
    by_size = {d["members"]: d for d in s["sizes"]}
    goals = []
    if 100_000 in by_size:
        first = by_size[100_000]["snapshot"]["seconds"]
        goals.append(
            f"first answer at 100,000 members {first:.2f} s ≤"
            f" {GOALS['startup_100k_s']:.0f} s {_ok(first <= GOALS['startup_100k_s'])}"
        )
    m = s.get("million")
    if m and "error" not in m and s["sizes"]:
        largest = max(s["sizes"], key=lambda d: d["members"])
        fixed = largest["snapshot"]["seconds"] - largest["snapshot"].get("graph_seconds", 0)
        estimate = fixed + m["seconds"]
        out += [
            "",
            f"At {m['members']:,} members × {m['degree']} connections (a synthetic"
            f" snapshot of that size, not a seeded network): opening the store and loading"
            f" the graph took {m['seconds']:.2f} s (peak RSS {m['peak_rss_mb']:.0f} MB,"
            f" index {m['index_mb']:.0f} MB); with the rest of the bot's start-up measured"
            f" at {largest['members']:,} ({fixed:.2f} s), the first answer comes after"
            f" ≈ {estimate:.1f} s. A rebuild would take ~10× the one above.",
        ]
        goals.append(
            f"estimated at 1,000,000 members {estimate:.1f} s ≤"
            f" {GOALS['startup_1m_s']:.0f} s {_ok(estimate <= GOALS['startup_1m_s'])}"
        )
    if goals:
        out += ["", "Goals: " + "; ".join(goals) + "."]
    return out


def _inbox(i: dict) -> list[str]:
    out = [
        "",
        f"### Inbox of a member with {i['conversations']:,} conversations and"
        f" {i['messages']:,} messages (page of 10; ms, median)",
        "",
        f"One aiosqlite round trip (`SELECT 1`): {_ms(i['round_trip']['median_us'])} ms;"
        f" statements per page: {i['statements_per_page']}.",
        "",
        "| page | ours | SQL lower bound | ratio | same rows |",
        "|---|---|---|---|---|",
    ]
    for name, p in i["pages"].items():
        out.append(
            f"| {name} | {_ms(p['ours']['median_us'])} | {_ms(p['sql']['median_us'])}"
            f" | {p['ratio']:.2f} {'' if p['ratio'] <= GOALS['inbox'] else '(missed)'}"
            f" | {'yes' if p['same_rows'] else 'NO'} |"
        )
    return out


def charts(r: dict, folder: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    rows = sorted(r.get("degrees") or [], key=lambda d: d["members"])
    if rows:
        sizes = [d["members"] for d in rows]
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for key, label in (
            ("ours", "ours (graph index)"),
            ("networkx", "networkx"),
            ("igraph_pair", "igraph (pair)"),
            ("igraph_row", "igraph (full row)"),
        ):
            ax.plot(
                sizes,
                [d["degree"][key]["median_us"] / 1000 for d in rows],
                marker="o",
                label=f"{label} median",
            )
            if key != "igraph_row":
                ax.plot(
                    sizes,
                    [d["degree"][key]["p99_us"] / 1000 for d in rows],
                    marker="x",
                    linestyle="--",
                    label=f"{label} p99",
                )
        _log_axes(ax, "members", "ms per degree query", "Degree query latency by network size")
        written.append(_save(fig, folder / "degrees.png"))
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for part, label in (("mutual", "mutual connections"), ("rank50", "rank 50 results")):
            for key in ("ours", "networkx"):
                ax.plot(
                    sizes,
                    [d[part][key]["median_us"] / 1000 for d in rows],
                    marker="o",
                    label=f"{label}: {key}",
                )
        _log_axes(ax, "members", "ms (median)", "Mutual connections and ranking by degree")
        written.append(_save(fig, folder / "network_queries.png"))
        fig, ax = plt.subplots(figsize=(7, 4.5))
        ax.plot(
            sizes,
            [d["memory"]["ours_rss_bytes"] / 2**20 for d in rows],
            marker="o",
            label="ours (RSS delta on Core.open)",
        )
        ax.plot(
            sizes,
            [d["memory"]["ours_index_bytes"] / 2**20 for d in rows],
            marker="o",
            label="ours (graph.memory_bytes)",
        )
        ax.plot(
            sizes,
            [d["memory"]["networkx_rss_bytes"] / 2**20 for d in rows],
            marker="o",
            label="networkx Graph (RSS delta)",
        )
        _log_axes(ax, "members", "MB", "Graph memory by network size")
        written.append(_save(fig, folder / "memory.png"))
    if r.get("inbox"):
        pages = r["inbox"]["pages"]
        names = list(pages)
        fig, ax = plt.subplots(figsize=(9, 4.5))
        width = 0.28
        for k, (key, label) in enumerate((("ours", "ours"), ("sql", "SQL lower bound"))):
            ax.bar(
                [x + (k - 0.5) * width for x in range(len(names))],
                [pages[n][key]["median_us"] / 1000 for n in names],
                width,
                label=label,
            )
        ax.set_xticks(range(len(names)), names, rotation=45, ha="right", fontsize=7)
        ax.set_yscale("log")
        ax.set_ylabel("ms per page (median)")
        ax.set_title("Inbox pages: 10,000 conversations, 200,000 messages")
        ax.legend(fontsize=7)
        fig.tight_layout()
        written.append(_save(fig, folder / "inbox.png"))
    if r.get("relay"):
        chart = relay_chart(r["relay"], folder)
        if chart is not None:
            written.append(chart)
    return written


def _log_axes(ax, xlabel: str, ylabel: str, title: str) -> None:
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.legend(fontsize=7)
    ax.figure.tight_layout()


def _save(fig, path: Path) -> str:
    fig.savefig(path, dpi=110)
    import matplotlib.pyplot as plt

    plt.close(fig)
    return path.name


def relay(results: dict, started: str | None = None) -> list[str]:
    """The relay tables: bursts, steady load, Telegram's limits, the sweep, SQL per message."""
    when = f", run of {started[:10]}" if started else ""
    out = [
        "### Relay (bot process over HTTP vs a PTB echo bot with concurrent updates, same"
        f" server{when})",
        "",
        "| run | round trip | messages | ours msg/s | echo msg/s | ratio (goal) |"
        " ours latency median / p99 (ms) | echo latency median / p99 (ms) |"
        " ours CPU per message (ms) | sends, 429s: ours / echo |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for latency, x in results.get("burst", {}).items():
        verdict = _verdict(x["ratio"] >= x["goal"], f"≥ {x['goal']}")
        spread = ", ".join(f"{r:.2f}" for r in x.get("ratios", []))
        out.append(
            _relay_row(
                f"burst {x['runs']}× (median; ratios {spread})",
                latency,
                x,
                f"{x['ratio']:.2f} ({verdict})",
            )
        )
    for latency, x in results.get("steady", {}).items():
        median_goal, p99_goal = x["goal"]
        met = x["ratio"] <= median_goal and x["p99_ratio"] <= p99_goal
        out.append(
            _relay_row(
                f"steady {x['offered_per_second']:g} msg/s offered",
                latency,
                x,
                f"latency {x['ratio']:.2f} / {x['p99_ratio']:.2f}"
                f" ({_verdict(met, f'≤ {median_goal:g} / {p99_goal:g}')})",
            )
        )
    for latency, x in results.get("limited", {}).items():
        o = x["ours"]
        verdict = _verdict(o["per_second"] >= x["goal"], f"≥ {x['goal']:g} msg/s")
        out.append(_relay_row("Telegram's limits", latency, x, f"{x['ratio']:.2f} ({verdict})"))
    if results.get("sweep"):
        out += [
            "",
            "| round trip | burst ours / echo msg/s |"
            " steady latency median / p99 (ms), ours vs echo |",
            "|---|---|---|",
        ]
        for latency, x in results["sweep"].items():
            b, st = x["burst"], x["steady"]
            out.append(
                f"| {latency} ms | {b['ours']['per_second']:.1f} / {b['echo']['per_second']:.1f}"
                f" | {_lat(st['ours'])} vs {_lat(st['echo'])} |"
            )
    if results.get("sql"):
        before, after = results["sql"]["before"], results["sql"]["after"]["per_message"]
        out += [
            "",
            "| per relayed message, before → after | statements | BEGIN/COMMIT |"
            " aiosqlite round trips | write transactions | read snapshots | fsync'd commits |",
            "|---|---|---|---|---|---|---|",
        ]
        for side in ("intake", "delivery", "total"):
            cells = " | ".join(
                f"{before[side].get(k, 0):.1f} → {after[side].get(k, 0):.1f}"
                for k in sql_counts.KINDS
            )
            out.append(f"| {side} | {cells} |")
    return out


def _verdict(met: bool, goal: str) -> str:
    return f"{goal}: {'met' if met else 'missed'}"


def _relay_row(name: str, latency: str, x: dict, ratio: str) -> str:
    o, e = x["ours"], x["echo"]
    lost = "" if o.get("delivered", o["messages"]) == o["messages"] else f" ({o['delivered']})"
    cpu = o.get("cpu_ms_per_message")
    return (
        f"| {name} | {latency} ms | {o['messages']}{lost} | {o['per_second']:.1f}"
        f" | {e['per_second']:.1f} | {ratio} | {_lat(o)} | {_lat(e)}"
        f" | {'—' if cpu is None else f'{cpu:.1f}'} | {_calls(o)} / {_calls(e)} |"
    )


def relay_chart(results: dict, folder: Path) -> str | None:
    """Throughput and latency against the round trip (the sweep), ours and the echo bot's."""
    sweep = results.get("sweep")
    if not sweep:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    trips = sorted(sweep, key=float)
    x = [float(t) for t in trips]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.2))
    for who, style in (("ours", "o-"), ("echo", "s--")):
        left.plot(x, [sweep[t]["burst"][who]["per_second"] for t in trips], style, label=who)
        for key, mark in (("latency_median_ms", "median"), ("latency_p99_ms", "p99")):
            right.plot(
                x,
                [sweep[t]["steady"][who][key] or 0 for t in trips],
                style,
                label=f"{who} {mark}",
                alpha=1.0 if mark == "median" else 0.5,
            )
    left.set(xlabel="round trip (ms)", ylabel="messages/s", title="Burst, 20 senders × 10")
    right.set(
        xlabel="round trip (ms)",
        ylabel="update-to-delivery latency (ms)",
        title="Steady 20 messages/s offered",
    )
    for ax in (left, right):
        ax.legend(fontsize=7)
        ax.set_ylim(bottom=0)
    fig.tight_layout()
    return _save(fig, folder / "relay.png")


def _lat(run: dict) -> str:
    if run.get("latency_median_ms") is None:
        return "—"
    return f"{run['latency_median_ms']:.0f} / {run['latency_p99_ms']:.0f}"


def _calls(run: dict) -> str:
    return f"{run.get('send_calls', '?')}, {run.get('answered_429', '?')}"
