"""The pairs' results as Markdown: one row per pair (medians, spreads, ratio, goal), then the parts
each side's time was itemised into, then the pairs' notes."""

import statistics

from .pairs import OURS, PEAK_MEMORY, STOCK


def _duration(seconds):
    unit, scale = ("ms", 1000) if seconds < 1 else ("s", 1)
    return f"{seconds * scale:.3g} {unit}"


def _figure(samples):
    values = [sample.seconds for sample in samples]
    spread = f"{_duration(min(values))}–{_duration(max(values))}"
    return f"{_duration(statistics.median(values))} ({spread})"


def _count(row, side, name):
    value = row.median(side, count=name)
    return "—" if value is None else f"{value:,.0f}"


def _ratio(row):
    pair = row.pair
    if not pair.speedup:
        return f"{row.ratio:.2f}×", f"≤ {pair.goal:g}×"
    ratio = f"{row.ratio:.1f}× faster" if row.ratio >= 1 else f"{1 / row.ratio:.1f}× slower"
    return ratio, f"≥ {pair.goal:g}× faster"


def main_table(rows, queries=False):
    calls = any("provider calls" in sample.counts for row in rows for sample in row.ours)
    memory = any(PEAK_MEMORY in sample.counts for row in rows for sample in row.ours)
    header = "| Pair | Size | Ours (median, spread) | Baseline on stock (median, spread) | Ratio "
    header += "| Goal | Met |"
    rule = "|---|---|---|---|---|---|---|"
    if queries:
        header += " Queries ours / stock |"
        rule += "---|"
    if calls:
        header += " Provider calls ours / stock |"
        rule += "---|"
    if memory:
        header += " Peak memory ours / stock |"
        rule += "---|"
    lines = [header, rule]
    for row in rows:
        pair = row.pair
        ratio, goal = _ratio(row)
        line = (
            f"| {pair.title} | {row.size} | {pair.ours_label}: {_figure(row.ours)} "
            f"| {pair.stock_label}: {_figure(row.stock)} | {ratio} | {goal} "
            f"| {'yes' if row.met else '**no**'} |"
        )
        if queries:
            line += f" {_count(row, OURS, 'queries')} / {_count(row, STOCK, 'queries')} |"
        if calls:
            line += (
                f" {_count(row, OURS, 'provider calls')} / {_count(row, STOCK, 'provider calls')} |"
            )
        if memory:
            peaks = f"{_count(row, OURS, PEAK_MEMORY)} / {_count(row, STOCK, PEAK_MEMORY)} MiB"
            line += f" {peaks if row.pair.memory else '—'} |"
        lines.append(line)
    return "\n".join(lines)


def parts_table(rows):
    """Where each side's time goes, for the pairs that itemise it: the median per operation of
    each part (parts may contain others, as the label says) and its share of the side's time."""
    lines = []
    for row in rows:
        labels = list(dict.fromkeys(p for s in row.ours + row.stock for p in s.parts))
        if not labels:
            continue
        ours, stock = row.median(OURS), row.median(STOCK)
        lines += [
            f"\n{row.pair.title}, itemised (median per operation):\n",
            "| Part | Ours | Share of ours | Stock | Share of stock |",
            "|---|---|---|---|---|",
        ]
        for label in labels:
            cells = []
            for side, total in ((OURS, ours), (STOCK, stock)):
                value = row.median(side, part=label)
                if value is None:
                    cells += ["—", "—"]
                else:
                    # A part done besides the operation (its upkeep) has no share of it.
                    share = f"{value / total:.0%}" if value <= total else "besides"
                    cells += [_duration(value), share]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def render(rows, queries=False):
    output = main_table(rows, queries) + "\n"
    parts = parts_table(rows)
    if parts:
        output += parts + "\n"
    notes = [f"- {row.pair.title}: {row.pair.notes}" for row in rows if row.pair.notes]
    if notes:
        output += "\n" + "\n".join(notes) + "\n"
    return output
