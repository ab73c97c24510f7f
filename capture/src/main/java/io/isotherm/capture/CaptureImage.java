package io.isotherm.capture;

/** A stored tile's image, or an uploaded screenshot: PNG, JPEG or WebP. */
public record CaptureImage(String contentType, byte[] bytes) {}
