// Forwards the labeling shortcuts to .NET. Keys typed into a field, a button, a menu or a dialog stay theirs, and
// only the keys the page handles lose their default (arrows would otherwise scroll the grid as well as move).
const handled = /^([1-9]|ArrowLeft|ArrowRight|ArrowUp|ArrowDown|Enter|Escape|u|U)$/;
const typing = 'input, textarea, select, [contenteditable="true"], [role="listbox"], .mud-popover';
const pressable = 'button, a, [role="button"]';

export function listen(dotnet) {
    const onKey = e => {
        if (e.ctrlKey || e.altKey || e.metaKey || !handled.test(e.key)) return;
        if (e.target instanceof Element && (e.target.closest(typing) || (e.key === 'Enter' && e.target.closest(pressable)))) return;
        if (document.querySelector('.mud-dialog-container')) return;
        e.preventDefault();
        dotnet.invokeMethodAsync('OnKey', e.key);
    };
    document.addEventListener('keydown', onKey);
    document.body.dataset.labelingKeys = 'on'; // lets browser tests know the keys are heard before they type
    return {
        dispose: () => {
            document.removeEventListener('keydown', onKey);
            delete document.body.dataset.labelingKeys;
        },
    };
}

// Rows outside the viewport are not in the DOM (virtualized), so scroll by arithmetic, not scrollIntoView.
export function showRow(scroller, row, rowHeight) {
    if (!scroller) return;
    const top = row * rowHeight;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + rowHeight > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = top + rowHeight - scroller.clientHeight;
}
