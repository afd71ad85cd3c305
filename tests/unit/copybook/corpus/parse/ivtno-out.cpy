000100*================================================================
000200* IVTNO: IMS installation verification phone book transaction.
000300* Output message.  OUT-LL and OUT-ZZ are the IMS segment prefix.
000400*================================================================
000500  01  OUTPUT-MSG.
000600      02  OUT-LL         PICTURE S9(3) COMP VALUE +93.
000700      02  OUT-ZZ         PICTURE S9(3) COMP VALUE +0.
000800      02  OUT-MSG        PICTURE X(40) VALUE SPACES.
000900      02  OUT-CMD        PICTURE X(8).
001000      02  OUT-NAME1      PICTURE X(10).
001100      02  OUT-NAME2      PICTURE X(10).
001200      02  OUT-EXTN       PICTURE X(10).
001300      02  OUT-ZIP        PICTURE X(7).
001400      02  OUT-SEGNO      PICTURE X(4).
