--------------------------- MODULE RuleAgreement ---------------------------
(***************************************************************************)
(* Checks the Java rule against the TLA+ rule.  The test                   *)
(* io.bakeguard.model.RuleAgreementTest enumerates every combination of    *)
(* inputs in small ranges, runs io.bakeguard.core.watermark.WatermarkRule  *)
(* on each, and writes the inputs with the Java outputs into               *)
(* RuleTableData.tla (generated, not kept in the repository).  TLC then    *)
(* evaluates the rule of WatermarkRule.tla on every row and stops at the   *)
(* first row where the two disagree, printing it.                          *)
(*                                                                         *)
(* Row layout (all plain values, digests as one-letter strings):           *)
(*   ApplyRows[i] = << curPresent, curLevel, curRound, curDigest, curSigned,*)
(*                     floorPresent, floorLevel, floorHasRound, floorRound, *)
(*                     firstUse, reqLevel, reqRound, reqDigest,             *)
(*                     javaKind, javaReason, javaAllowsSigning,             *)
(*                     markPresent, markLevel, markRound, markDigest,       *)
(*                     markSigned >>                                        *)
(*   RecordRows[i] = << curPresent, curLevel, curRound, curDigest,         *)
(*                      curSigned, level, round, digest,                    *)
(*                      outPresent, outLevel, outRound, outDigest,          *)
(*                      outSigned >>                                        *)
(***************************************************************************)
EXTENDS WatermarkRule, RuleTableData, Sequences, TLC

MarkOf(p, l, r, d, s) ==
    IF p THEN [present |-> TRUE, level |-> l, round |-> r, digest |-> d, signed |-> s]
    ELSE NoMark

FloorOf(p, l, hasRound, r) ==
    IF ~p THEN NoFloor ELSE IF hasRound THEN FloorAtRound(l, r) ELSE FloorAt(l)

ModelDecision(t) ==
    Apply(MarkOf(t[1], t[2], t[3], t[4], t[5]), FloorOf(t[6], t[7], t[8], t[9]), t[10],
          t[11], t[12], t[13])

JavaDecision(t) ==
    [kind |-> t[14], reason |-> t[15], mark |-> MarkOf(t[17], t[18], t[19], t[20], t[21])]

ModelRecord(t) == RecordSignature(MarkOf(t[1], t[2], t[3], t[4], t[5]), t[6], t[7], t[8])

JavaRecord(t) == MarkOf(t[9], t[10], t[11], t[12], t[13])

ASSUME Len(ApplyRows) > 0 /\ Len(RecordRows) > 0

ASSUME \A i \in 1..Len(ApplyRows) :
    LET t == ApplyRows[i] IN
    Assert(ModelDecision(t) = JavaDecision(t) /\ AllowsSigning(ModelDecision(t)) = t[16],
           <<"apply row", i, "input", SubSeq(t, 1, 13), "java", JavaDecision(t), t[16],
             "model", ModelDecision(t), AllowsSigning(ModelDecision(t))>>)

ASSUME \A i \in 1..Len(RecordRows) :
    LET t == RecordRows[i] IN
    Assert(ModelRecord(t) = JavaRecord(t),
           <<"record row", i, "input", SubSeq(t, 1, 8), "java", JavaRecord(t),
             "model", ModelRecord(t)>>)

ASSUME PrintT(<<"rule rows agreeing", Len(ApplyRows), Len(RecordRows)>>)
=============================================================================
