@echo off
rem run-all.cmd: run every conformance program of this folder (x64\ and, when
rem present, x32\) and print one summary line per program and a total.
rem Needs nothing but Windows: the programs use the system's ws2_32.dll and
rem serve their own loopback peers.  Each program's full output is left in
rem logs\ARCH-NAME.log.  The exit code is the number of programs that failed.
rem Usage: run-all.cmd [x64] [x32]   (default: both)
setlocal enabledelayedexpansion
cd /d "%~dp0"
rem The programs' own watchdog (seconds): the slowest needs 110.
if "%WSTEST_TIMEOUT%"=="" set WSTEST_TIMEOUT=120
if not exist logs mkdir logs
set /a programs=0, failed=0, tests=0, failures=0
rem The architectures to run: the arguments (x64, x32), else both.
set archs=%*
if "%archs%"=="" set archs=x64 x32
for %%a in (%archs%) do if exist %%a\*.exe call :arch %%a
echo total: %programs% programs, %failed% failed; %tests% tests, %failures% failures
exit /b %failed%

rem :arch ARCH: every program of the folder (a subroutine: Wine's cmd does
rem not expand a for variable in a nested for's set).
:arch
for %%p in (%1\*.exe) do call :run %1 %%~np
goto :eof

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
