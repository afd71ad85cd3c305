      *================================================================
      * ORDERS: a richer input layout that exercises every PICTURE and
      * USAGE kind imsgw converts, nested OCCURS, OCCURS DEPENDING ON,
      * REDEFINES, SIGN clauses, JUSTIFIED, 88 levels and a VALUE
      * literal continued onto the next line (column 7 '-').
      *================================================================
        01  ORDER-REQUEST.
            05  RQ-LL                  PIC S9(4) COMP.
            05  RQ-ZZ                  PIC S9(4) COMP.
            05  RQ-TRANCODE            PIC X(8).
            05  RQ-CUSTOMER.
                10  RQ-CUST-ID         PIC 9(8).
                10  RQ-CUST-NAME       PIC X(30).
                10  RQ-CUST-INITIALS   PIC A(3).
                10  RQ-CUST-TYPE       PIC X.
                    88  RQ-RETAIL      VALUE 'R'.
                    88  RQ-WHOLESALE   VALUE 'W'.
                10  RQ-CUST-REF        PIC X(8) JUSTIFIED RIGHT.
            05  RQ-AMOUNTS.
                10  RQ-CREDIT-LIMIT    PIC S9(7)V99 COMP-3.
                10  RQ-DISCOUNT-PCT    PIC V999 PACKED-DECIMAL.
                10  RQ-BALANCE         PIC S9(9)V99.
                10  RQ-ADJUST          PIC S9(5)V99 SIGN LEADING.
                10  RQ-TAX             PIC S9(3)V99
                                       SIGN IS TRAILING SEPARATE.
                10  RQ-REBATE          PIC S9(3)
                                       SIGN LEADING SEPARATE CHARACTER.
                10  RQ-PRIORITY        PIC 9(4) COMP.
                10  RQ-BRANCH          PIC S9(9) BINARY.
                10  RQ-ACCOUNT         PIC S9(18) COMPUTATIONAL-4.
                10  RQ-SEQ             PIC S9(4) COMP-5.
                10  RQ-COUNTER         PIC 9(18) COMP-5.
                10  RQ-PACKED-EVEN     PIC S9(4) COMP-3.
                10  RQ-UNITS           PIC 9(5) USAGE IS DISPLAY.
            05  RQ-DELIVERY.
                10  RQ-DELIVERY-TYPE   PIC X VALUE 'D'.
                10  RQ-ADDRESS.
                    15  RQ-STREET      PIC X(30).
                    15  RQ-CITY        PIC X(20).
                    15  RQ-POSTCODE    PIC X(10).
                10  RQ-PICKUP REDEFINES RQ-ADDRESS.
                    15  RQ-STORE-ID    PIC 9(6).
                    15  RQ-PICKUP-DATE PIC X(10).
                    15  FILLER         PIC X(44).
            05  RQ-NOTE                PIC X(20) OCCURS 2 TIMES
                                   VALUE 'A NOTE THAT IS CONTINUED ON   
      -                               ' TWO LINES'.
            05  RQ-SCHEDULE            OCCURS 3 TIMES INDEXED BY RQ-IX.
                10  RQ-DAY             PIC X(3).
                10  RQ-SLOT            PIC 9(4) COMP-3 OCCURS 2.
            05  FILLER                 PIC X(4).
            05  RQ-LINE-COUNT          PIC S9(4) COMP.
            05  RQ-LINE OCCURS 0 TO 20 TIMES DEPENDING ON RQ-LINE-COUNT.
                10  RQ-ITEM            PIC X(12).
                10  RQ-QTY             PIC S9(5) COMP-3.
                10  RQ-PRICE           PIC S9(5)V99 COMP-3.
