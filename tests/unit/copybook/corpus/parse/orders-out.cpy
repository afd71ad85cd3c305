      *================================================================
      * ORDERS reply: a header segment followed by 0..n line segments
      * (multi-segment output).  Message spec:
      *   ORDER-REPLY-HDR,ORDER-REPLY-LINE*
      *================================================================
        01  ORDER-REPLY-HDR.
            05  RP-LL                  PIC S9(4) COMP.
            05  RP-ZZ                  PIC S9(4) COMP.
            05  RP-STATUS              PIC X(2).
            05  RP-MESSAGE             PIC X(60).
            05  RP-ORDER-ID            PIC 9(10) COMP-3.
            05  RP-TOTAL               PIC S9(9)V99 COMP-3.
            05  RP-TAX-TOTAL           PIC S9(7)V99.
            05  RP-LINE-COUNT          PIC 9(4) BINARY.
        01  ORDER-REPLY-LINE.
            05  RL-LL                  PIC S9(4) COMP.
            05  RL-ZZ                  PIC S9(4) COMP.
            05  RL-LINE-NO             PIC 9(3).
            05  RL-ITEM                PIC X(12).
            05  RL-QTY                 PIC S9(5) COMP-3.
            05  RL-AMOUNT              PIC S9(7)V99 COMP-3.
            05  RL-STATUS              PIC X.
