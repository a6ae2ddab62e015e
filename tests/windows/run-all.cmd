@echo off
rem run-all.cmd: run every conformance program of this folder (x64\ and, when
rem present, x32\) and print one summary line per program and a total.
rem Needs nothing but Windows: the programs use the system's ws2_32.dll and
rem serve their own loopback peers.  Each program's full output is left in
rem logs\ARCH-NAME.log.  The exit code is the number of programs that failed.
setlocal enabledelayedexpansion
cd /d "%~dp0"
rem The programs' own watchdog (seconds): the slowest needs 110.
if "%WSTEST_TIMEOUT%"=="" set WSTEST_TIMEOUT=120
if not exist logs mkdir logs
set /a programs=0, failed=0, tests=0, failures=0
rem One loop per architecture: Wine's cmd does not expand a for variable in a nested for's set.
if exist x64\*.exe for %%p in (x64\*.exe) do call :run x64 %%~np
if exist x32\*.exe for %%p in (x32\*.exe) do call :run x32 %%~np
echo total: %programs% programs, %failed% failed; %tests% tests, %failures% failures
exit /b %failed%

rem :run ARCH NAME: one program; its summary line is
rem "NAME: N tests executed (T marked as todo, F failures), S skipped."
:run
set /a programs+=1
set n=
set f=
"%1\%2.exe" > "logs\%1-%2.log" 2>&1
set rc=%errorlevel%
for /f "usebackq tokens=1,2,9,11" %%i in ("logs\%1-%2.log") do (
    if "%%i"=="%2:" (
        set n=%%j
        set f=%%k
        set s=%%l
    )
)
if "%n%"=="" (
    set /a failed+=1
    echo FAIL  %1 %2: no summary line [exit %rc%]
    goto :eof
)
set /a tests+=%n%
set /a failures+=%f%
if "%rc%"=="0" (
    echo ok    %1 %2: %n% tests, %f% failures, %s% skipped
) else (
    set /a failed+=1
    echo FAIL  %1 %2: %n% tests, %f% failures, %s% skipped [exit %rc%]
)
goto :eof
