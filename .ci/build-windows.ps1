# Build CallAhead for Windows on a Windows machine, unchanged:
#
#     powershell -ExecutionPolicy Bypass -File .ci\build-windows.ps1
#
# Needs Python 3.11 or newer (python.org installer, "py" launcher or "python" on PATH; set
# $env:PYTHON to choose one). Builds with the same build.spec as CI into dist\CallAhead\
# (CallAhead.exe, the window, and callahead-cli.exe, the command line), checks that the command
# line answers and that the app starts on an empty data folder, then zips the folder as
# dist\CallAhead-<version>-windows.zip. Nothing is signed: see the README's "Build the app".
# Works in Windows PowerShell 5.1 (built into Windows 10 and 11) and PowerShell 7.

$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..")

# Native programs report failure by exit code, which PowerShell 5.1 does not turn into an error.
function Invoke-Checked([string] $What, [scriptblock] $Command) {
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "build-windows: $What failed (exit code $LASTEXITCODE)." }
}

$python = $env:PYTHON
if (-not $python) {
    if (Get-Command py -ErrorAction SilentlyContinue) { $python = "py" } else { $python = "python" }
}
$venv = ".venv"
$venvPython = Join-Path $venv "Scripts\python.exe"
if (-not (Test-Path $venvPython)) {
    Write-Host "+ $python -m venv $venv"
    Invoke-Checked "creating the virtual environment" { & $python -m venv $venv }
}
Write-Host "+ pip install -e .[build,postgres]"
Invoke-Checked "installing the build tools" { & $venvPython -m pip install -q -e ".[build,postgres]" }

$version = (& $venvPython -c "from core import __version__; print(__version__)").Trim()
Write-Host "+ pyinstaller build.spec (CallAhead $version)"
$started = Get-Date
Invoke-Checked "PyInstaller" { & $venvPython -m PyInstaller --noconfirm --clean --log-level WARN build.spec }
$buildSeconds = [math]::Round(((Get-Date) - $started).TotalSeconds, 1)

$bundle = "dist\CallAhead"
$window = Join-Path $bundle "CallAhead.exe"
$console = Join-Path $bundle "callahead-cli.exe"
foreach ($built in @($window, $console)) {
    if (-not (Test-Path $built)) { throw "build-windows: $built was not built." }
}

# The console companion prints and returns exit codes; the windowed CallAhead.exe cannot.
$printed = (& $console --version | Out-String).Trim()
if ($LASTEXITCODE -ne 0 -or $printed -ne "CallAhead $version") {
    throw "build-windows: callahead-cli.exe --version printed '$printed' (exit code $LASTEXITCODE)."
}

# Start the app once, without a window on screen, on an empty data folder of its own.
$dataDir = Join-Path ([System.IO.Path]::GetTempPath()) ("callahead-build-" + [guid]::NewGuid())
$env:QT_QPA_PLATFORM = "offscreen"
Remove-Item Env:CALLAHEAD_DATABASE_URL -ErrorAction SilentlyContinue
Remove-Item Env:CALLAHEAD_DATA_DIR -ErrorAction SilentlyContinue
try {
    $started = Get-Date
    $smoke = Start-Process -FilePath $window -ArgumentList @("--smoke-test", "--data-dir", "`"$dataDir`"") `
        -Wait -PassThru -NoNewWindow
    $startSeconds = [math]::Round(((Get-Date) - $started).TotalSeconds, 1)
    if ($smoke.ExitCode -ne 0) { throw "build-windows: CallAhead.exe --smoke-test exited with $($smoke.ExitCode)." }
    Invoke-Checked "callahead-cli.exe agenda" { & $console agenda --json --data-dir $dataDir | Out-Null }
} finally {
    Remove-Item Env:QT_QPA_PLATFORM -ErrorAction SilentlyContinue
    Remove-Item -Recurse -Force $dataDir -ErrorAction SilentlyContinue
}

$zip = "dist\CallAhead-$version-windows.zip"
Remove-Item $zip -ErrorAction SilentlyContinue
Compress-Archive -Path $bundle -DestinationPath $zip
$megabytes = [math]::Round((Get-ChildItem $bundle -Recurse | Measure-Object -Property Length -Sum).Sum / 1MB)
Write-Host "Built $bundle ($megabytes MB) in $buildSeconds s; it started in $startSeconds s. Ship $zip."
