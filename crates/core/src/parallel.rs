//! Evaluating many independent things on every core, results in order.
//!
//! Batches of scenario files and the points of a sweep are independent
//! computations; this spreads them over the machine's cores with scoped
//! threads (no thread pool to configure, nothing left running) and hands
//! the results back in the order of the inputs, so output never depends on
//! scheduling.

/// `f` over `items` on every core, results in the items' order.
pub fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    parallel_map_on(None, items, f)
}

/// [`parallel_map`] on `threads` threads (`None`: one a core).
pub fn parallel_map_on<T: Sync, R: Send>(
    threads: Option<usize>,
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let workers = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1)
        .min(items.len().max(1));
    if workers <= 1 {
        return items.iter().map(f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    let done: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            // A worker can only fail by a bug in hashpivot: re-raise it
            // rather than print results with a scenario silently missing.
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    for (i, r) in done.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::parallel_map;

    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<u64> = (0..1000).collect();
        // Uneven work so threads finish out of order.
        let squares = parallel_map(&items, |&i| {
            let spin = (i % 7) * 1000;
            (0..spin).fold(i * i, |acc, _| std::hint::black_box(acc))
        });
        assert_eq!(squares, items.iter().map(|i| i * i).collect::<Vec<_>>());
        assert!(parallel_map(&[] as &[u8], |&b| b).is_empty());
    }
}
