# Sourced by make_example.sh. Debian bookworm's GROMACS 2022.5-2 refuses to start `mdrun`
# when CPUID hides the rdtscp flag (common on VMs) although the instruction works. When the
# flag is missing, make a private copy of libgromacs with that single start-up check jumped
# over and put it first on LD_LIBRARY_PATH. Refuses to patch any other build.
if ! grep -qw rdtscp /proc/cpuinfo; then
    patched_dir=${GMX_PATCHED_LIB_DIR:-/tmp/mcc-gmx-rdtscp}
    if [ ! -f "$patched_dir/libgromacs.so.7" ]; then
        mkdir -p "$patched_dir"
        /usr/bin/python3 - /usr/lib/x86_64-linux-gnu/libgromacs.so.7.0.0 "$patched_dir/libgromacs.so.7" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
at = 0xC5A3F8  # the fatal-error call of the rdtscp check in the 2022.5-2 Debian build
if data[at:at + 8] != bytes.fromhex("4989c0ba6c000000"):
    sys.exit("libgromacs is not the Debian 2022.5-2 build this work-around knows; not patching")
data[at:at + 5] = bytes.fromhex("e993000000")  # jump to the 'check passed' branch
open(sys.argv[2], "wb").write(data)
PY
    fi
    export LD_LIBRARY_PATH="$patched_dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
