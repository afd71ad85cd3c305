000100*================================================================
000200* IVTNO: IMS installation verification phone book transaction.
000300* Input message (IMS sample DFSIVA34 layout).  IN-LL, IN-ZZ and
000400* IN-TRCD are the IMS message prefix: filled in by imsgw.
000500*================================================================
000600  01  INPUT-MSG.
000700      02  IN-LL          PICTURE S9(3) COMP.
000800      02  IN-ZZ          PICTURE S9(3) COMP.
000900      02  IN-TRCD        PICTURE X(10).
001000      02  IN-CMD         PICTURE X(8).
001100          88  IN-ADD     VALUE 'ADD     '.
001200          88  IN-DISPLAY VALUE 'DISPLAY '.
001300      02  IN-NAME1       PICTURE X(10).
001400      02  IN-NAME2       PICTURE X(10).
001500      02  IN-EXTN        PICTURE X(10).
001600      02  IN-ZIP         PICTURE X(7).
