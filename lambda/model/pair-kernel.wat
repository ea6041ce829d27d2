;; The per-pair part of the dense pass's first layer and its output sum, in WebAssembly SIMD
;; (lambda/model/pair-kernel.ts says what it does and why; `npm run build:kernel` assembles this
;; text into lambda/model/pair-kernel-bytes.ts, and test/lambda/model/pair-kernel.test.ts checks
;; that the committed bytes are this text's).
;;
;; Hidden units are padded to a multiple of 16 (zero weights) and taken 16 at a time, in four
;; f32x4 sums. Every address is a byte offset into the exported memory, laid out by the caller:
;;   features    rows × stride bytes: the feature rows, budgets outer, items inner
;;   cols        ncols i32: each pair column's byte offset within a row
;;   weights     ncols rows of units × f32: the first layer's kernel rows of the pair columns
;;   output      units × f32: the output layer's kernel
;;   budgetPart  budgets rows of units × f32: bias + the budget columns' part, per budget
;;   itemPart    items rows of units × f32: the item columns' part, per item
;;   out         rows × f32: per pair, the output layer's sum without its bias
;;   scratch     ncols × (f32, i32): a pair's non-zero pair columns (value, weight row address)
(module
  (memory (export "memory") 1)
  (func (export "pairs")
    (param $budgets i32) (param $items i32) (param $row i32) (param $stride i32)
    (param $cols i32) (param $ncols i32) (param $weights i32) (param $chunks i32)
    (param $output i32) (param $budgetPart i32) (param $itemPart i32) (param $out i32)
    (param $scratch i32)
    (local $b i32) (local $i i32) (local $p i32) (local $n i32) (local $c i32)
    (local $s i32) (local $end i32) (local $w i32) (local $ip i32) (local $bp i32)
    (local $unitBytes i32) (local $v f32)
    (local $x v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $h v128)
    ;; Bytes of one row of units: chunks × 16 units × 4 bytes.
    (local.set $unitBytes (i32.shl (local.get $chunks) (i32.const 6)))
    (local.set $bp (local.get $budgetPart))
    (block $budgetsDone
      (loop $eachBudget
        (br_if $budgetsDone (i32.ge_u (local.get $b) (local.get $budgets)))
        (local.set $ip (local.get $itemPart))
        (local.set $i (i32.const 0))
        (block $itemsDone
          (loop $eachItem
            (br_if $itemsDone (i32.ge_u (local.get $i) (local.get $items)))
            ;; Gather the pair's non-zero pair columns without a branch: every column is
            ;; written, and the count moves on only past a non-zero one.
            (local.set $n (i32.const 0))
            (local.set $p (i32.const 0))
            (local.set $w (local.get $weights))
            (block $gathered
              (loop $eachColumn
                (br_if $gathered (i32.ge_u (local.get $p) (local.get $ncols)))
                (local.set $v
                  (f32.load
                    (i32.add (local.get $row)
                      (i32.load (i32.add (local.get $cols) (i32.shl (local.get $p) (i32.const 2)))))))
                (local.set $s (i32.add (local.get $scratch) (i32.shl (local.get $n) (i32.const 3))))
                (f32.store (local.get $s) (local.get $v))
                (i32.store offset=4 (local.get $s) (local.get $w))
                (local.set $n (i32.add (local.get $n) (f32.ne (local.get $v) (f32.const 0))))
                (local.set $w (i32.add (local.get $w) (local.get $unitBytes)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $eachColumn)))
            (local.set $end (i32.add (local.get $scratch) (i32.shl (local.get $n) (i32.const 3))))
            (local.set $h (v128.const i32x4 0 0 0 0))
            (local.set $c (i32.const 0))
            (block $chunksDone
              (loop $eachChunk
                (br_if $chunksDone (i32.ge_u (local.get $c) (local.get $unitBytes)))
                ;; Sixteen units: the budget's and the item's parts, then each non-zero column.
                (local.set $a0
                  (f32x4.add
                    (v128.load (i32.add (local.get $bp) (local.get $c)))
                    (v128.load (i32.add (local.get $ip) (local.get $c)))))
                (local.set $a1
                  (f32x4.add
                    (v128.load offset=16 (i32.add (local.get $bp) (local.get $c)))
                    (v128.load offset=16 (i32.add (local.get $ip) (local.get $c)))))
                (local.set $a2
                  (f32x4.add
                    (v128.load offset=32 (i32.add (local.get $bp) (local.get $c)))
                    (v128.load offset=32 (i32.add (local.get $ip) (local.get $c)))))
                (local.set $a3
                  (f32x4.add
                    (v128.load offset=48 (i32.add (local.get $bp) (local.get $c)))
                    (v128.load offset=48 (i32.add (local.get $ip) (local.get $c)))))
                (local.set $s (local.get $scratch))
                (block $columnsDone
                  (loop $eachNonZero
                    (br_if $columnsDone (i32.ge_u (local.get $s) (local.get $end)))
                    (local.set $x (f32x4.splat (f32.load (local.get $s))))
                    (local.set $w (i32.add (i32.load offset=4 (local.get $s)) (local.get $c)))
                    (local.set $a0
                      (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (v128.load (local.get $w)))))
                    (local.set $a1
                      (f32x4.add (local.get $a1)
                        (f32x4.mul (local.get $x) (v128.load offset=16 (local.get $w)))))
                    (local.set $a2
                      (f32x4.add (local.get $a2)
                        (f32x4.mul (local.get $x) (v128.load offset=32 (local.get $w)))))
                    (local.set $a3
                      (f32x4.add (local.get $a3)
                        (f32x4.mul (local.get $x) (v128.load offset=48 (local.get $w)))))
                    (local.set $s (i32.add (local.get $s) (i32.const 8)))
                    (br $eachNonZero)))
                ;; ReLU, times the output layer's weights, summed into the output's four lanes.
                (local.set $w (i32.add (local.get $output) (local.get $c)))
                (local.set $h
                  (f32x4.add (local.get $h)
                    (f32x4.mul
                      (f32x4.max (local.get $a0) (v128.const i32x4 0 0 0 0))
                      (v128.load (local.get $w)))))
                (local.set $h
                  (f32x4.add (local.get $h)
                    (f32x4.mul
                      (f32x4.max (local.get $a1) (v128.const i32x4 0 0 0 0))
                      (v128.load offset=16 (local.get $w)))))
                (local.set $h
                  (f32x4.add (local.get $h)
                    (f32x4.mul
                      (f32x4.max (local.get $a2) (v128.const i32x4 0 0 0 0))
                      (v128.load offset=32 (local.get $w)))))
                (local.set $h
                  (f32x4.add (local.get $h)
                    (f32x4.mul
                      (f32x4.max (local.get $a3) (v128.const i32x4 0 0 0 0))
                      (v128.load offset=48 (local.get $w)))))
                (local.set $c (i32.add (local.get $c) (i32.const 64)))
                (br $eachChunk)))
            (f32.store (local.get $out)
              (f32.add
                (f32.add (f32x4.extract_lane 0 (local.get $h)) (f32x4.extract_lane 1 (local.get $h)))
                (f32.add (f32x4.extract_lane 2 (local.get $h)) (f32x4.extract_lane 3 (local.get $h)))))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (local.set $row (i32.add (local.get $row) (local.get $stride)))
            (local.set $ip (i32.add (local.get $ip) (local.get $unitBytes)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $eachItem)))
        (local.set $bp (i32.add (local.get $bp) (local.get $unitBytes)))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $eachBudget)))))
