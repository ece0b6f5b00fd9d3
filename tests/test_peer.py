"""The benchmark's NumPy peer (scripts/peers/population_demand_numpy.py) runs from a clone and
does the same work as carecast: its means and spreads over replications agree with carecast's
on scenarios/kashiwa.ini (both 200 replications, different random numbers: tolerances are a
few Monte Carlo standard errors, far below the gap a different model would open).
A peer that broke would otherwise be found only by `make bench`.
"""
import os
import subprocess
import tempfile
import unittest

import carecast_testlib as T

PEER = os.path.join(T.REPO_ROOT, "scripts", "peers", "population_demand_numpy.py")
REPLICATIONS = 200


@T.require_binary
class PeerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.peer_file = os.path.join(cls.tmp.name, "peer.h5")
        cls.peer = subprocess.run(["/usr/bin/python3", PEER, T.scenario_path("kashiwa.ini"), "--reps",
                                   str(REPLICATIONS), "--seed", "3", "--out", cls.peer_file],
                                  capture_output=True, text=True, timeout=300)
        # carecast without the on-call stage: the peer does population and demand only
        cls.ours = T.cached_results(T.without_coverage("kashiwa.ini"), "-n", str(REPLICATIONS), "-q")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_peer_runs_and_reports(self):
        self.assertEqual(self.peer.returncode, 0, self.peer.stderr)
        self.assertRegex(self.peer.stderr, r"peer-population-demand reps=%d seconds=[\d.]+" % REPLICATIONS)
        self.assertIn("2050", self.peer.stdout)

    def test_same_results_as_carecast(self):
        """Means over replications of each series (both sexes, all ages) in 2030, 2040 and 2050
        agree within 4 standard errors of their difference (the runs are independent), and the
        spreads (sd over replications) within 25%: a peer with a different model (no migration,
        no mortality improvement, no trend uncertainty) fails by tens of standard errors."""
        import h5py
        import numpy as np
        self.assertEqual(self.peer.returncode, 0, self.peer.stderr)
        self.ours.check(self)
        ours = self.ours.open()
        with h5py.File(self.peer_file, "r") as peer:
            years = list(ours["axes/year"][()])
            self.assertEqual(years, list(peer["year"][()]))
            series = ["population/" + name for name in ("total", "age65plus", "age75plus", "age85plus", "births",
                                                        "deaths", "net_migration", "life_expectancy_0")]
            series += ["demand/" + name for name in ("inpatient", "outpatient", "home_care", "urgent_calls")]
            for name in series:
                ours_reps = ours[name + "/replications"][0][:, :, 2]   # [replication, year, (band)]
                peer_reps = peer[name.split("/", 1)[1] + "/replications"][:, :, 2]
                if ours_reps.ndim == 3:  # demand: the all-ages band
                    ours_reps, peer_reps = ours_reps[..., -1], peer_reps[..., -1]
                self.assertEqual(ours_reps.shape, peer_reps.shape)
                for year in (2030, 2040, 2050):
                    with self.subTest(series=name, year=year):
                        a, b = ours_reps[:, years.index(year)], peer_reps[:, years.index(year)]
                        se = np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b))
                        self.assertGreater(se, 0, "replications differ")
                        self.assertLess(abs(a.mean() - b.mean()), 4 * se,
                                        "mean: carecast %.2f, peer %.2f, SE %.2f" % (a.mean(), b.mean(), se))
                        self.assertLess(abs(b.std(ddof=1) / a.std(ddof=1) - 1), 0.25,
                                        "sd: carecast %.2f, peer %.2f" % (a.std(ddof=1), b.std(ddof=1)))


if __name__ == "__main__":
    unittest.main()
