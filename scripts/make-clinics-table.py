#!/usr/bin/python3
"""Write Kashiwa's default clinics table for the coverage stage, scenarios/data/kashiwa_clinics.csv,
from the defaults below (each labelled as a source, derived figure or assumption; the sources are
in scenarios/data/SOURCES.md, "Coverage: the clinics table").

Columns: id,block,type,doctors,panel_capacity,participates,backup
  id              B<block>-<nn> for backup clinics (▲, 24-hour capable home-care support clinics),
                  P<block>-<nn> for primary clinics (△, ordinary clinics doing home care);
  block           1-based block of the Kashiwa City Medical Association;
  type            backup or primary;
  doctors         home-care doctors of the clinic;
  panel_capacity  home-care patients the clinic can carry;
  participates    1: the clinic takes part in on-call cover; 0: a candidate primary clinic that
                  does not (it takes no part in a run; `carecast capacity` adds candidates);
  backup          left empty: the engine pairs each primary with a backup of its block, at most
                  [coverage] max_primaries_per_backup (5) primaries per backup.

Standard library only. Run: /usr/bin/python3 scripts/make-clinics-table.py [--out PATH]
(--check: compare with the existing file instead of writing it; exit 1 when they differ).
"""
import argparse
import csv
import io
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "scenarios", "data", "kashiwa_clinics.csv")

# source: Kashiwa has 251 general clinics, 38 of them home-care support clinics (在宅療養支援診療所),
# 2024 (a regional medical-care portal, page dated 2025-01-07; low-medium reliability).
KASHIWA_CLINICS = 251
BACKUP_CLINICS = 38
# source: the Kashiwa City Medical Association works in 3 blocks (JKRI 2015).
BLOCKS = 3
# assumption: blocks of equal population, so the 38 backup clinics split 13, 13, 12.
BACKUPS_PER_BLOCK = (13, 13, 12)
# assumption: a strengthened support clinic needs at least 3 doctors (range 1-5 per backup clinic).
DOCTORS_PER_BACKUP = 3
# assumption: 60 primary clinics of one home-care doctor each, 20 per block (72.4% of home-care
# clinics have a single home-care doctor: JMA survey 2017, WP No.392; range 20-150 primary doctors).
PRIMARIES_PER_BLOCK = (20, 20, 20)
DOCTORS_PER_PRIMARY = 1
# derived: 25 patients per primary doctor, from JMA's 23.6 home-care patients per clinic
# (survey of March 2025, WP No.497; range 15-40).
PANEL_PER_PRIMARY_DOCTOR = 25
# assumption: 60 patients per backup clinic (range 40-100).
PANEL_PER_BACKUP = 60
# source: one backup clinic for 5 primary clinics (the 2011-13 Hirano pilot); the pairs are left to
# the engine ([coverage] max_primaries_per_backup = 5), so the backup column stays empty.
PRIMARIES_PER_BACKUP = 5
# assumption: every listed clinic takes part.
PARTICIPATES = 1
# assumption: candidate primary clinics that do not take part today (participates = 0), listed so
# that `carecast capacity` can add primary doctors beyond today's 60: up to 150 primary doctors,
# the high end of the range above (30 a block, one doctor and a panel of 25 each, as the others).
# A run leaves them out; only the capacity search adds them, after the participants of their block.
CANDIDATES_PER_BLOCK = (30, 30, 30)

HEADER = ["id", "block", "type", "doctors", "panel_capacity", "participates", "backup"]


def rows():
    """The table's rows: per block, its backup clinics, then its primary clinics (the participating
    ones, then the candidates)."""
    assert sum(BACKUPS_PER_BLOCK) == BACKUP_CLINICS <= KASHIWA_CLINICS
    assert len(BACKUPS_PER_BLOCK) == len(PRIMARIES_PER_BLOCK) == BLOCKS
    assert sum(BACKUPS_PER_BLOCK) + sum(PRIMARIES_PER_BLOCK) <= KASHIWA_CLINICS
    out = []
    for block in range(1, BLOCKS + 1):
        backups, primaries = BACKUPS_PER_BLOCK[block - 1], PRIMARIES_PER_BLOCK[block - 1]
        # every primary of the block can be paired within it
        assert primaries <= backups * PRIMARIES_PER_BACKUP, "block %d: too few backups" % block
        for n in range(1, backups + 1):
            out.append(["B%d-%02d" % (block, n), block, "backup", DOCTORS_PER_BACKUP, PANEL_PER_BACKUP,
                        PARTICIPATES, ""])
        for n in range(1, primaries + CANDIDATES_PER_BLOCK[block - 1] + 1):
            out.append(["P%d-%02d" % (block, n), block, "primary", DOCTORS_PER_PRIMARY,
                        PANEL_PER_PRIMARY_DOCTOR * DOCTORS_PER_PRIMARY, PARTICIPATES if n <= primaries else 0, ""])
    return out


def table_text():
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows())
    return buf.getvalue()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=OUT, help="where to write the table (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="compare with the file at --out; do not write")
    args = parser.parse_args()
    text = table_text()
    table = rows()
    part = [r for r in table if r[5]]
    summary = "%d clinics (%d backup, %d primary), %d participating: %d doctors, panels %d patients" % (
        len(table), sum(r[2] == "backup" for r in table), sum(r[2] == "primary" for r in table),
        len(part), sum(r[3] for r in part), sum(r[4] for r in part))
    if args.check:
        with open(args.out, encoding="utf-8", newline="") as f:
            same = f.read() == text
        print("%s: %s (%s)" % (args.out, "up to date" if same else "DIFFERS from the script's output", summary))
        return 0 if same else 1
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    print("wrote %s: %s" % (args.out, summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
