"""Writes small FedScale-format trace pickles for FedScaleTraceLoaderTest.

Usage: python3 write_fixture.py OUT_DIR
Produces client_device_capacity, client_behave_trace (FedScale's own file names, no extension)
and bad_behave_trace (active/inactive of different lengths).
"""
import os
import pickle
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)

capacity = {
    1: {'computation': 10.0, 'communication': 800.0},
    2: {'computation': 50, 'communication': 8000.5},
    3: {'computation': 2.5, 'communication': 120.0},
}
behave = {
    1: {'duration': 500, 'inactive': [100, 300], 'finish_time': 400, 'active': [0, 200], 'model': 'Pixel 3'},
    2: {'duration': 86400, 'inactive': [86400], 'finish_time': 86400, 'active': [3600], 'model': 'SM-G960F'},
}
bad = {7: {'duration': 10, 'inactive': [5, 9], 'finish_time': 10, 'active': [1], 'model': 'x'}}

for name, obj in (('client_device_capacity', capacity), ('client_behave_trace', behave), ('bad_behave_trace', bad)):
    with open(os.path.join(out, name), 'wb') as f:
        pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
