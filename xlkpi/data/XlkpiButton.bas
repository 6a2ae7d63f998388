Attribute VB_Name = "XlkpiButton"
' xlkpi -- the Score & Audit button of the ribbon tab (MIT licence, part of xlkpi).
'
' The whole VBA of xlkpi.xlam.  The secretary clicks this button on other people's workbooks,
' so nothing here is read from the workbook that is clicked, its sheets or its folder:
'   * the Python to run is the one recorded by `xlkpi addin install` (InstalledInterpreter
'     below), else the INTERPRETER_WIN / INTERPRETER_MAC line of the user's own settings file
'     %USERPROFILE%\.xlwings\xlwings.conf (macOS: ~/.xlwings/xlwings.conf);
'   * the command is fixed: import xlkpi;xlkpi.main('<workbook name as UTF-16 hex>');
'     no folder is added to Python's import path, and the workbook's name reaches Python
'     only as hexadecimal digits, so no character of it is ever parsed by a shell;
'   * Python is started directly (WScript.Shell.Run, no cmd.exe) from the interpreter's folder.
' Python (xlkpi.excel.click) finds the workbook by that name in this Excel (--hwnd), audits it
' without changing it and opens a new report workbook beside it.
'
' `xlkpi addin build` / `install` write this file into the add-in with the {{...}} fields
' filled in, and the text inside every U(...) call written as hex digits (the VBA project keeps
' its text in a Windows code page; hex keeps Thai and any folder name intact).
Option Explicit

Public Const XLKPI_VERSION As String = "{{XLKPI_VERSION}}"
Public Const XLWINGS_VERSION As String = "{{XLWINGS_VERSION}}"
Private Const TITLE As String = "xlkpi - Score & Audit"
Private Const USER_SETTINGS As String = ".xlwings"

' The interpreter recorded at install; empty in an add-in made by `xlkpi addin build`.
Private Function InstalledInterpreter() As String
    #If Mac Then
        InstalledInterpreter = U("{{INTERPRETER_MAC}}")
    #Else
        InstalledInterpreter = U("{{INTERPRETER_WIN}}")
    #End If
End Function

' The ribbon button (customUI.xml: onAction="XlkpiButton.RunMain").
Public Sub RunMain(control As IRibbonControl)
    ScoreAndAudit
End Sub

Public Sub ScoreAndAudit()
    Dim wb As Workbook, python As String
    On Error Resume Next
    Set wb = ActiveWorkbook
    On Error GoTo 0
    If wb Is Nothing Then
        Say U("ไม่มีสมุดงานที่เปิดอยู่ (หรือเปิดในมุมมองที่ได้รับการป้องกัน): เปิดสมุดงาน กด 'เปิดใช้งานการแก้ไข' แล้วกดปุ่มอีกครั้ง"), _
            "No workbook is open (or it is in Protected View): open it, click 'Enable Editing', then click the button again.", vbExclamation
        Exit Sub
    End If
    If wb Is ThisWorkbook Then Exit Sub
    python = Interpreter()
    If python = "" Then
        Say U("ยังไม่ได้ติดตั้ง xlkpi ให้ Excel: เปิด Command Prompt พิมพ์  py -m xlkpi addin install  แล้วเปิด Excel ใหม่"), _
            "xlkpi does not know which Python to run: in a Command Prompt type  py -m xlkpi addin install  and restart Excel.", vbExclamation
        Exit Sub
    End If
    On Error GoTo Failed
    Application.StatusBar = "xlkpi: " & U("กำลังเริ่ม Python") & " - starting Python..."
    #If Mac Then
        RunOnMac python, wb
    #Else
        RunOnWindows python, wb
    #End If
    Exit Sub
Failed:
    Application.StatusBar = False
    Say U("เริ่ม Python ไม่ได้: ") & Err.Description, "Python could not be started: " & Err.Description, vbCritical
End Sub

Private Function Interpreter() As String
    Dim value As String
    value = InstalledInterpreter()
    If value = "" Then
        #If Mac Then
            value = SettingFromUserFile(Environ("HOME") & "/" & USER_SETTINGS & "/xlwings.conf", "INTERPRETER_MAC")
        #Else
            value = SettingFromUserFile(Environ("USERPROFILE") & "\" & USER_SETTINGS & "\xlwings.conf", "INTERPRETER_WIN")
        #End If
    End If
    Interpreter = value
End Function

' One key of a settings file in xlwings' format: lines of "KEY","value" (VBA's Write #).
Private Function SettingFromUserFile(ByVal path As String, ByVal key As String) As String
    Dim f As Integer, k As String, v As String
    On Error GoTo Done
    f = FreeFile
    Open path For Input As #f
    Do While Not EOF(f)
        Input #f, k, v
        If UCase$(Trim$(k)) = key Then
            SettingFromUserFile = Trim$(v)
            Exit Do
        End If
    Loop
Done:
    On Error Resume Next
    Close #f
End Function

#If Mac Then
Private Sub RunOnMac(ByVal python As String, wb As Workbook)
    ' Through xlwings' AppleScript (`xlwings runpython install`).  Its first field is the
    ' "PYTHONPATH" that xlwings.utils.prepare_sys_path reads: "false" and five empty fields,
    ' so no folder is added.  The workbook travels in the command as hex; the name field is fixed.
    Dim params As String, logFile As String, result As String
    If InStr(python, "'") > 0 Then
        Say U("ชื่อโฟลเดอร์ของ Python มีเครื่องหมาย '"), "The Python path contains a quote (') and cannot be used: " & python, vbCritical
        Exit Sub
    End If
    logFile = Environ("HOME") & "/xlkpi-click.log"
    params = "false;;;;" & "|'" & python & "'|" & PythonCommand(wb.Name) & "|xlkpi|" & _
             Left(Application.Path, Len(Application.Path) - 4) & "|" & logFile
    On Error GoTo NoScript
    result = AppleScriptTask("xlwings-" & XLWINGS_VERSION & ".applescript", "VbaHandler", params)
    Application.StatusBar = False
    Exit Sub
NoScript:
    Application.StatusBar = False
    Say U("ยังไม่ได้ติดตั้งสคริปต์ของ xlwings: เปิด Terminal พิมพ์  xlwings runpython install"), _
        "RunPython's AppleScript is missing: in a Terminal type  xlwings runpython install", vbCritical
End Sub
#Else
Private Sub RunOnWindows(ByVal python As String, wb As Workbook)
    Dim fso As Object, sh As Object, cmdLine As String, exitCode As Long, previousDir As String
    Set fso = CreateObject("Scripting.FileSystemObject")
    If Not (python Like "[A-Za-z]:\*" Or python Like "\\*") Or Not fso.FileExists(python) Then
        Say U("ไม่พบ Python ที่บันทึกไว้ตอนติดตั้ง: ติดตั้งใหม่ด้วย  py -m xlkpi addin install"), _
            "The Python recorded at install is not there: " & python & vbCrLf & "Install again with  py -m xlkpi addin install", vbCritical
        Application.StatusBar = False
        Exit Sub
    End If
    cmdLine = WindowsCommandLine(python, wb.Name, Application.Path & "\" & Application.Name, Application.Hwnd)
    Set sh = CreateObject("WScript.Shell")
    ' Python's -c puts the current directory first on its import path: the interpreter's own
    ' folder, never Excel's (often the folder of the workbook last opened).
    previousDir = sh.CurrentDirectory
    sh.CurrentDirectory = fso.GetParentFolderName(python)
    exitCode = sh.Run(cmdLine, 0, True)
    sh.CurrentDirectory = previousDir
    Application.StatusBar = False
    If exitCode <> 0 Then
        Say U("Python ทำงานไม่สำเร็จ (รหัส ") & exitCode & U("): ตรวจว่าติดตั้ง xlkpi ใน Python นี้แล้ว หรือติดตั้งใหม่ด้วย  py -m xlkpi addin install"), _
            "Python stopped with exit code " & exitCode & ": is xlkpi installed in " & python & "?" & vbCrLf & _
            "Install again with  py -m xlkpi addin install  (details: %TEMP%\xlkpi-click.log)", vbCritical
    End If
End Sub
#End If

' The command line CreateProcess gets: RunPython's arguments after xlkpi's fixed command.
Private Function WindowsCommandLine(ByVal python As String, ByVal bookName As String, _
                                    ByVal excel As String, ByVal hwnd As Long) As String
    WindowsCommandLine = """" & python & """ -B -c """ & PythonCommand(bookName) & """ --from_xl=1 --app=""" & _
                         excel & """ --hwnd=" & CStr(hwnd)
End Function

Private Function PythonCommand(ByVal bookName As String) As String
    PythonCommand = "import xlkpi;xlkpi.main('" & HexText(bookName) & "')"
End Function

' Each UTF-16 code unit as four hex digits: only 0-9 and A-F reach the command line.
Private Function HexText(ByVal s As String) As String
    Dim i As Long, out As String
    For i = 1 To Len(s)
        out = out & Right$("000" & Hex$(AscW(Mid$(s, i, 1)) And &HFFFF&), 4)
    Next i
    HexText = out
End Function

' The inverse of HexText: the add-in's Thai text and recorded paths are stored this way.
Private Function U(ByVal digits As String) As String
    Dim i As Long, out As String
    For i = 1 To Len(digits) - 3 Step 4
        out = out & ChrW(CLng("&H" & Mid$(digits, i, 4)))
    Next i
    U = out
End Function

Private Sub Say(ByVal thai As String, ByVal english As String, ByVal icon As VbMsgBoxStyle)
    MsgBox thai & vbCrLf & vbCrLf & english, icon, TITLE
End Sub
