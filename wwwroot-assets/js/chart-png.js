// Saves an SVG chart as a PNG. The charts are styled by app.css classes, which a serialized SVG loses, so the computed
// styles that draw it are copied onto a clone first; it is drawn at twice its size on white so it stays sharp in slides.
const drawn = ["fill", "fill-opacity", "stroke", "stroke-width", "stroke-dasharray", "stroke-opacity", "opacity",
    "font-family", "font-size", "font-weight", "text-anchor", "dominant-baseline", "visibility", "display", "paint-order",
    "stroke-linejoin"];

function inlineStyles(source, clone) {
    const style = getComputedStyle(source);
    clone.setAttribute("style", drawn.map(p => `${p}:${style.getPropertyValue(p)}`).join(";"));
    for (let i = 0; i < source.children.length; i++) inlineStyles(source.children[i], clone.children[i]);
}

export async function download(svg, fileName) {
    const box = svg.viewBox.baseVal;
    const width = box && box.width ? box.width : svg.clientWidth;
    const height = box && box.height ? box.height : svg.clientHeight;
    const clone = svg.cloneNode(true);
    inlineStyles(svg, clone);
    clone.setAttribute("xmlns", "http://www.w3.org/2000/svg");
    clone.setAttribute("width", width);
    clone.setAttribute("height", height);

    const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: "image/svg+xml" }));
    try {
        const image = new Image();
        await new Promise((resolve, reject) => { image.onload = resolve; image.onerror = reject; image.src = url; });
        const canvas = document.createElement("canvas");
        canvas.width = width * 2;
        canvas.height = height * 2;
        const context = canvas.getContext("2d");
        context.fillStyle = "#ffffff";
        context.fillRect(0, 0, canvas.width, canvas.height);
        context.drawImage(image, 0, 0, canvas.width, canvas.height);
        const png = await new Promise(resolve => canvas.toBlob(resolve, "image/png"));
        const link = document.createElement("a");
        link.href = URL.createObjectURL(png);
        link.download = fileName.endsWith(".png") ? fileName : `${fileName}.png`;
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(link.href), 10000);
    } finally {
        URL.revokeObjectURL(url);
    }
}
