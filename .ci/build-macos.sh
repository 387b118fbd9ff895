#!/bin/bash
# Build CallAhead for macOS on a Mac, unchanged:   bash .ci/build-macos.sh
#
# Needs Python 3.11 or newer (python.org installer or Homebrew; PYTHON=... to choose one) and
# the Xcode command line tools (codesign). Builds with the same build.spec as CI into
# dist/CallAhead.app, checks that its executable answers in Terminal and that the app starts on
# an empty data folder, then makes what an owner downloads:
#   dist/CallAhead-<version>-macos.zip   the .app zipped with ditto (keeps its attributes, symlinks and signature)
#   dist/CallAhead-<version>.dmg         a disk image with the .app and a link to Applications
# The app is signed ad hoc only (no Developer ID, not notarized): see the README's "Build the app".
# Written for the bash 3.2 and BSD tools macOS ships.
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
venv=.venv
if [ ! -x "$venv/bin/python" ]; then
  echo "+ $python -m venv $venv"
  "$python" -m venv "$venv"
fi
echo "+ pip install -e '.[build,postgres]'"
"$venv/bin/python" -m pip install -q -e '.[build,postgres]'

version=$("$venv/bin/python" -c 'from core import __version__; print(__version__)')
echo "+ pyinstaller build.spec (CallAhead $version)"
started=$(date +%s)
"$venv/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN build.spec
build_seconds=$(( $(date +%s) - started ))

app=dist/CallAhead.app
executable="$app/Contents/MacOS/CallAhead"
console="$app/Contents/MacOS/callahead-cli"
for built in "$executable" "$console"; do
  [ -x "$built" ] || { echo "build-macos: $built was not built." >&2; exit 1; }
done

# One consistent ad-hoc signature over the whole bundle (Apple silicon runs nothing unsigned).
codesign --force --deep --sign - "$app"
codesign --verify --deep --strict "$app"

# The console companion is the command line on a Mac too: it prints in Terminal, with exit codes.
printed=$("$console" --version)
if [ "$printed" != "CallAhead $version" ]; then
  echo "build-macos: $console --version printed '$printed'." >&2
  exit 1
fi

data_dir=$(mktemp -d -t callahead-build)
staging=$(mktemp -d -t callahead-dmg)
trap 'rm -rf "$data_dir" "$staging"' EXIT
echo "+ $executable --smoke-test --data-dir <empty temp dir>"
started=$(date +%s)
env -u CALLAHEAD_DATABASE_URL -u CALLAHEAD_DATA_DIR QT_QPA_PLATFORM=offscreen \
  "$executable" --smoke-test --data-dir "$data_dir/business"
start_seconds=$(( $(date +%s) - started ))
env -u CALLAHEAD_DATABASE_URL -u CALLAHEAD_DATA_DIR "$console" agenda --json --data-dir "$data_dir/business" >/dev/null

zip="dist/CallAhead-$version-macos.zip"
rm -f "$zip"
echo "+ ditto -c -k --sequesterRsrc --keepParent $app $zip"
ditto -c -k --sequesterRsrc --keepParent "$app" "$zip"

dmg="dist/CallAhead-$version.dmg"
rm -f "$dmg"
ditto "$app" "$staging/CallAhead.app"
ln -s /Applications "$staging/Applications"
echo "+ hdiutil create $dmg"
hdiutil create -volname "CallAhead $version" -srcfolder "$staging" -fs HFS+ -format UDZO -ov "$dmg"
hdiutil verify "$dmg"

echo "Built $app ($(du -sh "$app" | cut -f1)) in ${build_seconds} s; it started in ${start_seconds} s." \
     "Ship $zip or $dmg."
