"""scripts/bench.py's own code, without running a benchmark (milliseconds): the table and the
ratios from a result of known times, the parsing of the on-call programs' output, the
same-work check of the on-call peer, and the JSON written being the result read back."""
import importlib.util
import json
import os
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("bench", os.path.join(ROOT, "scripts", "bench.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

CARECAST_OUT = """bench_coverage: year 2030, 3600 patients (3600 covered), 174 doctors, 4 schemes, 20 replications
per replication: scheduled_visits=103722.7 urgent_calls=34538.5 home_deaths=453.1 absence_spells=951.5
scheme pairing: continuity=0.6897 escalations_per_1000_patient_months=0.139 response_mean=10.46
scheme solo: continuity=0.9588 escalations_per_1000_patient_months=33.333 response_mean=10.26
carecast-oncall replications=20 events=11173260 seconds=2.0000 events_per_s=5586630 cpu_seconds=1.5000
"""
PEER_OUT = """oncall_simpy: year 2030, 3600 patients (3600 covered), 174 doctors, 4 schemes, 1 replications
per replication: scheduled_visits=104367.0 urgent_calls=34619.0 home_deaths=437.0 absence_spells=981.0
scheme pairing: continuity=0.6918 escalations_per_1000_patient_months=0.139 response_mean=10.56
scheme solo: continuity=0.9589 escalations_per_1000_patient_months=33.356 response_mean=10.36
peer-oncall replications=1 events=561616 seconds=8.0000 events_per_s=70202 cpu_seconds=7.0000
"""


def result():
    """A result as measure() builds it, with round numbers."""
    oc = {"year": 2030, "patients": 3600}
    for key, text in (("carecast", CARECAST_OUT), ("peer", PEER_OUT)):
        fig = bench.parse_oncall(text)
        oc[key] = {"replications": int(fig["replications"]), "events": int(fig["events"]),
                   "seconds": fig["seconds"], "events_per_s": fig["events_per_s"], "cpu_seconds": fig["cpu_seconds"]}
    return {"runs": 5, "population_demand": {"replications": 2000, "carecast_j1": {"seconds": 2.0},
                                             "carecast_j2": {"seconds": 1.0}, "draws": {"seconds": 1.6},
                                             "peer": {"seconds": 5.0}},
            "oncall": oc, "threads": {"replications": 200, "j1": {"seconds": 18.0}, "j2": {"seconds": 10.0}},
            "memory": {"peak_mb": {"10000": 180.4, "1000": 60.2}}}


class BenchScriptTest(unittest.TestCase):
    def test_parse_oncall(self):
        fig = bench.parse_oncall(CARECAST_OUT)
        self.assertEqual(fig["events"], 11173260)
        self.assertEqual(fig["per_replication"]["absence_spells"], 951.5)
        self.assertEqual(fig["continuity"], {"pairing": 0.6897, "solo": 0.9588})
        with self.assertRaises(bench.BenchError):
            bench.parse_oncall("no figures here\n")

    def test_ratios(self):
        r = bench.ratios(result())
        self.assertAlmostEqual(r["population_demand_j1_over_numpy_peer"], 2.5)
        self.assertAlmostEqual(r["population_demand_model_over_draws"], 1.25)
        self.assertAlmostEqual(r["whole_run_2_threads_over_1"], 1.8)
        self.assertAlmostEqual(r["oncall_events_per_s_over_simpy_peer"], 5586630 / 70202)
        self.assertAlmostEqual(r["oncall_cpu_events_per_s_over_simpy_peer"],
                               (11173260 / 1.5) / (561616 / 7.0))

    def test_table(self):
        table = bench.build_table(result()).splitlines()
        self.assertEqual(len(table), 2 + 4 + 2 + 2 + 2)
        self.assertIn("| carecast -j 1 | 2.000 | 1000 | | 2.50x the NumPy peer |", table[2])
        self.assertIn("model / draws: 1.25x", table[4])
        self.assertIn("| 5586630 | 79.58x the SimPy peer |", table[6])
        self.assertIn("2 threads / 1: 1.80x", table[9])
        # memory rows in increasing replications, whatever the dict's order
        self.assertIn("1000 reps | carecast | | | | 60 MB", table[10])
        self.assertIn("10000 reps | carecast | | | | 180 MB", table[11])

    def test_same_work_check(self):
        ours, theirs = bench.parse_oncall(CARECAST_OUT), bench.parse_oncall(PEER_OUT)
        bench.check_oncall(ours, theirs, 1)  # Monte Carlo differences pass
        for kind, factor in (("urgent_calls", 0.5), ("absence_spells", 1.5), ("home_deaths", 2)):
            other = json.loads(json.dumps(theirs))
            other["per_replication"][kind] *= factor
            with self.assertRaises(bench.BenchError, msg=kind):
                bench.check_oncall(ours, other, 1)
        other = json.loads(json.dumps(theirs))
        other["continuity"]["solo"] = 0.90
        with self.assertRaises(bench.BenchError):
            bench.check_oncall(ours, other, 1)

    def test_json_round_trip(self):
        res = result()
        res["table"] = bench.build_table(res)
        res["ratios"] = bench.ratios(res)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bench.json")
            bench.write_json(res, path)
            with open(path) as f:
                self.assertEqual(json.load(f), json.loads(json.dumps(res)))

    def test_machine(self):
        m = bench.machine()
        self.assertEqual(m["cores"], os.cpu_count())
        self.assertTrue(m["kernel"])


if __name__ == "__main__":
    unittest.main()
