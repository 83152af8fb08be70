# Memory and CPU per shard against shard count, from the big-bot curve's CSV (perf/README.md, "Big bot").
# gnuplot -e "csv='big-bot.csv'; png='big-bot.png'" plot_big_bot.gp
# Optional: csv2='other.csv'; label2='...' adds that run's points (e.g. a smaller ring_size) as separate markers.
set datafile separator ','
set terminal pngcairo size 900,520 font 'sans,10' noenhanced
set output png
if (!exists("title")) title = 'GatewayProxy big bot: memory and CPU per shard (250 guilds per shard)'
set title title
set xlabel 'shards'
set ylabel 'MiB per shard'
set y2label 'proxy CPU, ms per shard per second'
set ytics nomirror
set y2tics
set xrange [0:*]
set offsets 0, graph 0.05, 0, 0
set yrange [0:*]
set y2range [0:*]
set key top right
set grid
p = "plot csv using 1:2 skip 1 with linespoints lw 2 title 'RSS / shard', "
p = p . "csv using 1:3 skip 1 with linespoints lw 2 title 'RSS after forced GC / shard', "
p = p . "csv using 1:4 skip 1 with linespoints lw 2 title 'managed heap after forced GC / shard', "
p = p . "csv using 1:5 skip 1 axes x1y2 with linespoints lw 2 dt 2 title 'CPU ms / shard / s (right)'"
if (exists("csv2")) {
  p = p . ", csv2 using 1:2 skip 1 with points pt 7 ps 1.5 title 'RSS / shard, " . label2 . "'"
  p = p . ", csv2 using 1:3 skip 1 with points pt 5 ps 1.5 title 'RSS after GC / shard, " . label2 . "'"
  p = p . ", csv2 using 1:5 skip 1 axes x1y2 with points pt 9 ps 1.5 title 'CPU ms / shard / s, " . label2 . " (right)'"
}
eval(p)
