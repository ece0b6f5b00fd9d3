#!/bin/sh
# Install the Debian packages carecast needs to build, run and test, if any are missing.
# Runs apt-get as root, or through sudo; does nothing when everything is present.
set -eu
PACKAGES="gcc make pkg-config libc6-dev libgsl-dev librandom123-dev libhdf5-dev hdf5-tools
libinih-dev libcsv-dev libcmocka-dev nettle-dev python3 python3-h5py python3-numpy
gnuplot-nox util-linux netcdf-bin python3-xarray python3-h5netcdf python3-netcdf4
python3-simpy3 r-base-core r-cran-ncdf4 r-bioc-rhdf5 valgrind fonts-noto-cjk"
# make fuzz needs clang with libFuzzer and its OpenMP runtime as well
[ "${1:-}" = "--fuzz" ] && PACKAGES="$PACKAGES clang libclang-rt-dev libomp-dev"
[ "${1:-}" = "--print" ] && { echo $PACKAGES; exit 0; }
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "carecast: installing missing packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo";
else echo "carecast: need root or sudo to install:$missing" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq --no-install-recommends $missing >&2
