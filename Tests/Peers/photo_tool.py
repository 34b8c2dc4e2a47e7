"""Makes test photos and inspects images, independently of libvips (Pillow and the raw bytes).

  photo_tool.py make OUT [--width W] [--height H] [--format jpeg|png|gif|webp|heic|avif] [--orientation N]
                         [--gps] [--serial S] [--taken "YYYY:MM:DD HH:MM:SS"] [--quality Q] [--seed N]
  photo_tool.py bomb OUT [--side N]      a PNG whose header claims N x N pixels, in well under 1 MB
  photo_tool.py gifbomb OUT [--side N] [--frames F]   a GIF of F frames of N x N pixels, in a few hundred bytes
  photo_tool.py inspect FILE...          one JSON line per file: what an independent parser finds in it

`make` draws something photo-like (gradients, shapes, grain) so encoders see realistic detail, and
writes EXIF the way a phone does: make, model, body serial number, owner, capture time, orientation
and a GPS position.
"""
import argparse
import io
import json
import random
import struct
import sys
import zlib

import pillow_heif
from PIL import Image, ImageDraw, ImageFilter, ImageOps
from PIL.ExifTags import GPS, IFD, Base

pillow_heif.register_heif_opener()

GPS_LATITUDE = (47, 22, 36.12)   # somewhere an uploader would not want to be found
GPS_LONGITUDE = (8, 32, 28.44)


def photo_like(width, height, seed):
    rng = random.Random(seed)
    # A sky-to-ground gradient at low resolution, enlarged smoothly, then shapes and grain.
    small = Image.new("RGB", (64, 48))
    top = (rng.randrange(60, 140), rng.randrange(120, 200), rng.randrange(180, 255))
    bottom = (rng.randrange(40, 120), rng.randrange(60, 140), rng.randrange(20, 90))
    for y in range(48):
        t = y / 47
        row = tuple(int(a + (b - a) * t) for a, b in zip(top, bottom))
        for x in range(64):
            small.putpixel((x, y), row)
    image = small.resize((width, height), Image.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(max(4, width // 40), max(8, width // 6))
        colour = tuple(rng.randrange(256) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
        else:
            draw.rectangle((x - r, y - r // 2, x + r, y + r // 2), fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(radius=max(1, width // 800)))
    grain = Image.effect_noise((width, height), 24).convert("RGB")
    return Image.blend(image, grain, 0.12)


def exif_for(args):
    exif = Image.Exif()
    exif[Base.Make] = "Gallerycam"
    exif[Base.Model] = "GC-1 Test Body"
    exif[Base.Artist] = "Ada Uploader"
    if args.orientation:
        exif[Base.Orientation] = args.orientation
    ifd = exif.get_ifd(IFD.Exif)
    if args.serial:
        ifd[Base.BodySerialNumber] = args.serial
        ifd[Base.CameraOwnerName] = "Ada Uploader"
    if args.taken:
        ifd[Base.DateTimeOriginal] = args.taken
        exif[Base.DateTime] = args.taken
    if args.gps:
        gps = exif.get_ifd(IFD.GPSInfo)
        gps[GPS.GPSLatitudeRef] = "N"
        gps[GPS.GPSLatitude] = GPS_LATITUDE
        gps[GPS.GPSLongitudeRef] = "E"
        gps[GPS.GPSLongitude] = GPS_LONGITUDE
    return exif


def make(args):
    image = photo_like(args.width, args.height, args.seed)
    if args.cmyk:
        image = image.convert("CMYK")
    exif = exif_for(args)
    fmt = args.format
    if fmt == "jpeg":
        image.save(args.out, "JPEG", quality=args.quality, exif=exif)
    elif fmt == "png":
        image.save(args.out, "PNG", exif=exif)
    elif fmt == "webp":
        image.save(args.out, "WEBP", quality=args.quality, exif=exif)
    elif fmt == "heic":
        image.save(args.out, "HEIF", quality=args.quality, exif=exif)
    elif fmt == "avif":
        image.save(args.out, "AVIF", quality=args.quality, exif=exif)
    elif fmt == "gif":
        frames = [image.convert("P"), ImageOps.invert(image).convert("P")]
        frames[0].save(args.out, "GIF", save_all=True, append_images=frames[1:], duration=200, loop=0)
    else:
        sys.exit(f"unknown format {fmt}")


def bomb(args):
    """A 1-bit greyscale PNG of side x side pixels, all black: tiny on disk, huge when decoded."""
    side = args.side
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    chunks = []
    for _ in range(side):
        chunks.append(compressor.compress(row))
    chunks.append(compressor.flush())
    idat = b"".join(chunks)

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
    png += chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    with open(args.out, "wb") as out:
        out.write(png)


def gifbomb(args):
    """A GIF of `frames` frames, each side x side pixels but coded as a single pixel: a few hundred
    bytes that a decoder must paint onto a whole canvas."""
    gif = b"GIF89a" + struct.pack("<HHBBB", args.side, args.side, 0x80, 0, 0) + b"\x00\x00\x00\xff\xff\xff"
    gif += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # loop forever: an animation
    for _ in range(args.frames):
        gif += b"\x21\xf9\x04\x00\x0a\x00\x00\x00"  # 100 ms per frame
        gif += b"\x2c" + struct.pack("<HHHHB", 0, 0, args.side, args.side, 0) + b"\x02\x02\x44\x01\x00"
    with open(args.out, "wb") as out:
        out.write(gif + b"\x3b")


def riff_chunks(data):
    """The chunk names of a WebP file, read from its RIFF container by hand."""
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return None
    names, offset = [], 12
    while offset + 8 <= len(data):
        name = data[offset:offset + 4].decode("latin-1")
        size = struct.unpack("<I", data[offset + 4:offset + 8])[0]
        names.append(name)
        offset += 8 + size + (size & 1)
    return names


def inspect(path):
    with open(path, "rb") as handle:
        data = handle.read()
    report = {"path": path, "bytes": len(data)}
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as error:  # not an image Pillow reads
        report["error"] = str(error)
        return report
    exif = image.getexif()
    report.update(
        format=image.format, width=image.width, height=image.height, mode=image.mode,
        exif_tags=sorted(Base(tag).name if tag in Base._value2member_map_ else str(tag) for tag in exif),
        exif_ifd_tags=sorted(
            Base(tag).name if tag in Base._value2member_map_ else str(tag) for tag in exif.get_ifd(IFD.Exif)),
        gps=bool(exif.get_ifd(IFD.GPSInfo)),
        exif_bytes=len(image.info.get("exif", b"")),
        xmp=bool(image.info.get("xmp")) or b"<x:xmpmeta" in data or b"http://ns.adobe.com/xap/" in data,
        icc=bool(image.info.get("icc_profile")),
        # What any reader could find: the serial, the owner and the make as plain bytes anywhere in the file.
        leaks=[s for s in ("Gallerycam", "GC-1 Test Body", "Ada Uploader", "SN-") if s.encode() in data],
    )
    chunks = riff_chunks(data)
    if chunks is not None:
        report["riff_chunks"] = chunks
    return report


def main():
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    m = commands.add_parser("make")
    m.add_argument("out")
    m.add_argument("--width", type=int, default=4000)
    m.add_argument("--height", type=int, default=3000)
    m.add_argument("--format", default="jpeg")
    m.add_argument("--orientation", type=int)
    m.add_argument("--gps", action="store_true")
    m.add_argument("--serial")
    m.add_argument("--taken")
    m.add_argument("--quality", type=int, default=92)
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--cmyk", action="store_true", help="a CMYK JPEG, as print workflows make")
    b = commands.add_parser("bomb")
    b.add_argument("out")
    b.add_argument("--side", type=int, default=30000)
    g = commands.add_parser("gifbomb")
    g.add_argument("out")
    g.add_argument("--side", type=int, default=20000)
    g.add_argument("--frames", type=int, default=5)
    i = commands.add_parser("inspect")
    i.add_argument("paths", nargs="+")
    args = parser.parse_args()
    if args.command == "make":
        make(args)
    elif args.command == "bomb":
        bomb(args)
    elif args.command == "gifbomb":
        gifbomb(args)
    else:
        for path in args.paths:
            print(json.dumps(inspect(path)))


if __name__ == "__main__":
    main()
