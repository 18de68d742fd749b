/**
 * What one page fault costs on this machine: new memory is only mapped when first touched, one 4 KiB page per
 * minor fault. On the virtual machines iw was first measured on a first touch cost 15–16.5 µs (256 MiB took
 * 1.0–1.1 s, touching it again 2–4 ms); on others 2.2–3.3 µs. The memory a run touches for the first time is a cost
 * of its own beside the arithmetic: the bench's whole-run tables turn each run's minor faults into seconds with it,
 * and bin/iw asks for huge pages only where it is high (src/cli/hugePages.ts).
 */
export function measureFirstTouch(mebibytes = 64): { microsecondsPerFault: number; faults: number } {
  const page = 4096;
  // a SharedArrayBuffer is fresh memory from the kernel (never recycled by the allocator), as large buffers are
  const bytes = new Uint8Array(new SharedArrayBuffer(mebibytes * 1024 * 1024));
  const faultsBefore = process.resourceUsage().minorPageFault;
  const startedAt = performance.now();
  for (let i = 0; i < bytes.length; i += page) bytes[i] = 1;
  const milliseconds = performance.now() - startedAt;
  const faults = Math.max(1, process.resourceUsage().minorPageFault - faultsBefore);
  return { microsecondsPerFault: (milliseconds * 1000) / faults, faults };
}
