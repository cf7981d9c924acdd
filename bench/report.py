"""The benchmark's markdown table and charts."""

from __future__ import annotations

from pathlib import Path


def _ms(us: float) -> str:
    return f"{us / 1000:.3f}"


def markdown(r: dict) -> str:
    m = r["machine"]
    out = [f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, "
           f"Python {m['python']}.", "",
           "### Degree queries (per query, ms; ratio = ours / baseline)", "",
           "| members | edges | ours median / p99 | networkx median / p99 | igraph pair median"
           " / p99 | igraph full row median | ours/networkx median (p99) | ours/igraph pair"
           " median | graph memory ours / networkx (MB) |",
           "|---|---|---|---|---|---|---|---|---|"]
    for d in r["degrees"]:
        o, n, i, row = (d["degree"][k] for k in ("ours", "networkx", "igraph_pair",
                                                   "igraph_row"))
        mem = d["memory"]
        out.append(
            f"| {d['members']:,} | {d['edges']:,} | {_ms(o['median_us'])} / {_ms(o['p99_us'])}"
            f" | {_ms(n['median_us'])} / {_ms(n['p99_us'])} | {_ms(i['median_us'])} /"
            f" {_ms(i['p99_us'])} | {_ms(row['median_us'])} |"
            f" {o['median_us'] / n['median_us']:.2f} ({o['p99_us'] / n['p99_us']:.2f}) |"
            f" {o['median_us'] / i['median_us']:.2f} |"
            f" {mem['ours_rss_bytes'] / 2**20:.0f} / {mem['networkx_rss_bytes'] / 2**20:.0f} |")
    out += ["", "| members | mutual connections ours / networkx (ms, median) | rank 50 results"
            " by degree ours / networkx (ms, median) |", "|---|---|---|"]
    for d in r["degrees"]:
        mu, ra = d["mutual"], d["rank50"]
        out.append(f"| {d['members']:,} | {_ms(mu['ours']['median_us'])} /"
                   f" {_ms(mu['networkx']['median_us'])} | {_ms(ra['ours']['median_us'])} /"
                   f" {_ms(ra['networkx']['median_us'])} |")
    if r.get("memory"):
        out += ["", f"Peak resident memory of the bot process serving the"
                f" {r['memory']['members']:,}-member network: "
                f"**{r['memory']['peak_rss_mb']:.0f} MB** (goal < 500 MB)."]
    if r.get("inbox"):
        i = r["inbox"]
        out += ["", f"### Inbox ({i['conversations']:,} conversations, {i['messages']:,}"
                " messages) and digests", "", "| page | ours (ms) | SQL lower bound (ms) |"
                " ratio |", "|---|---|---|---|"]
        for name, p in i["pages"].items():
            out.append(f"| {name} | {_ms(p['ours_us'])} | {_ms(p['sql_us'])} |"
                       f" {p['ratio']:.2f} |")
        dg = i["digests"]
        out.append(f"| digests of {dg['members']:,} members | {dg['ours_s'] * 1000:.0f} |"
                   f" {dg['sql_s'] * 1000:.0f} | {dg['ratio']:.2f} |")
    if r.get("relay"):
        out += ["", "### Relay throughput (bot process over HTTP vs PTB echo bot)", "",
                "| run | ours msg/s | echo msg/s | ratio | ours latency median / p99 (ms) |",
                "|---|---|---|---|---|"]
        for name, x in r["relay"].items():
            o = x["ours"]
            out.append(f"| {name} | {o['per_second']:.1f} | {x['echo']['per_second']:.1f} |"
                       f" {x['ratio']:.2f} | {o['latency_median_ms']:.0f} /"
                       f" {o['latency_p99_ms']:.0f} |")
    return "\n".join(out) + "\n"


def charts(r: dict, folder: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [d["members"] for d in r["degrees"]]
    fig, ax = plt.subplots(figsize=(7, 4))
    for key, label in (("ours", "ours (graph index)"), ("networkx", "networkx"),
                       ("igraph_pair", "igraph (pair)")):
        ax.plot(sizes, [d["degree"][key]["median_us"] / 1000 for d in r["degrees"]],
                marker="o", label=f"{label} median")
        ax.plot(sizes, [d["degree"][key]["p99_us"] / 1000 for d in r["degrees"]],
                marker="x", linestyle="--", label=f"{label} p99")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("members")
    ax.set_ylabel("ms per degree query")
    ax.set_title("Degree query latency by network size")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(folder / "degrees.png", dpi=110)
    plt.close(fig)
