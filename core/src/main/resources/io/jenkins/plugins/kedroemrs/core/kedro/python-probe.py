import importlib.util
import json
import sys
from importlib import metadata


def version(dist):
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


print(json.dumps({
    "executable": sys.executable,
    "version": "%d.%d.%d" % sys.version_info[:3],
    "kedro": version("kedro"),
    "build": importlib.util.find_spec("build") is not None,
}))
