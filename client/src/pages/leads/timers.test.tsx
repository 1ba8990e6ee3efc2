import { act, renderHook } from '@testing-library/react';

import { useAutoRefresh } from './useAutoRefresh';
import { useDebouncedText } from './useDebouncedText';
import { FLASH_MS, useRowFlash } from './useRowFlash';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('useRowFlash', () => {
  it('marks a row for 2 s, and a second change restarts the 2 s', () => {
    const { result } = renderHook(() => useRowFlash());
    act(() => result.current[1]('a'));
    expect(result.current[0]).toEqual({ a: 1 });

    act(() => {
      vi.advanceTimersByTime(FLASH_MS - 500);
    });
    act(() => result.current[1]('a'));
    // A new value: LeadRow restarts the animation.
    expect(result.current[0]).toEqual({ a: 2 });

    act(() => {
      vi.advanceTimersByTime(FLASH_MS - 1);
    });
    expect(result.current[0]).toEqual({ a: 2 });
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(result.current[0]).toEqual({});
  });

  it('flashes rows independently', () => {
    const { result } = renderHook(() => useRowFlash());
    act(() => result.current[1]('a'));
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    act(() => result.current[1]('b'));
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(result.current[0]).toEqual({ b: 1 });
  });
});

describe('useAutoRefresh', () => {
  function setHidden(hidden: boolean) {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
    document.dispatchEvent(new Event('visibilitychange'));
  }
  afterEach(() => {
    // Back to jsdom's own (visible) value.
    delete (document as { hidden?: boolean }).hidden;
  });

  it('refreshes a minute after the last fetch settled', () => {
    const refresh = vi.fn();
    const { rerender } = renderHook(({ at }) => useAutoRefresh(refresh, at, 60_000), {
      initialProps: { at: Date.now() },
    });
    act(() => {
      vi.advanceTimersByTime(59_999);
    });
    expect(refresh).not.toHaveBeenCalled();
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(refresh).toHaveBeenCalledTimes(1);

    // A manual refresh 30 s later: the next automatic one is a minute after it.
    act(() => {
      vi.advanceTimersByTime(30_000);
    });
    rerender({ at: Date.now() });
    act(() => {
      vi.advanceTimersByTime(59_999);
    });
    expect(refresh).toHaveBeenCalledTimes(1);
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('waits while the tab is hidden, and refreshes when it is shown again', () => {
    const refresh = vi.fn();
    renderHook(() => useAutoRefresh(refresh, Date.now(), 60_000));
    setHidden(true);
    act(() => {
      vi.advanceTimersByTime(120_000);
    });
    expect(refresh).not.toHaveBeenCalled();
    act(() => setHidden(false));
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('does not refresh on showing the tab when the rows are recent', () => {
    const refresh = vi.fn();
    renderHook(() => useAutoRefresh(refresh, Date.now(), 60_000));
    act(() => {
      vi.advanceTimersByTime(10_000);
    });
    act(() => setHidden(true));
    act(() => setHidden(false));
    expect(refresh).not.toHaveBeenCalled();
  });
});

describe('useDebouncedText', () => {
  it('commits the text once typing pauses, and follows outside changes', () => {
    const commit = vi.fn();
    const { result, rerender } = renderHook(({ value }) => useDebouncedText(value, commit, 300), {
      initialProps: { value: '' },
    });
    act(() => result.current[1]('a'));
    act(() => {
      vi.advanceTimersByTime(200);
    });
    act(() => result.current[1]('ac'));
    act(() => {
      vi.advanceTimersByTime(299);
    });
    expect(commit).not.toHaveBeenCalled();
    act(() => {
      vi.advanceTimersByTime(1);
    });
    expect(commit).toHaveBeenCalledTimes(1);
    expect(commit).toHaveBeenCalledWith('ac');

    // The URL changes (back button): the input shows it, nothing is committed.
    rerender({ value: 'zed' });
    expect(result.current[0]).toBe('zed');
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(commit).toHaveBeenCalledTimes(1);
  });
});
